/**
 * The input schema of a contract procedure, for client-side validation with exactly the rules the
 * server applies (the server validates again; the renderer is untrusted).
 */
export function inputSchemaOf<S>(procedure: { '~orpc': { inputSchema?: S } }): S {
  const schema = procedure['~orpc'].inputSchema;
  if (schema === undefined) throw new Error('The procedure has no input schema');
  return schema;
}

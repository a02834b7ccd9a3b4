import type { Knex } from 'knex';

/**
 * Foundation schema: users and sessions, settings and organisation, occupation catalogue, sittings,
 * candidates, roster imports, and the append-only hash-chained audit log.
 * Migrations are immutable once released: change the schema in a new numbered file.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.increments('id').primary();
    t.string('username', 40).notNullable().unique();
    t.string('display_name', 40).notNullable();
    t.string('password_hash', 300).notNullable();
    t.text('roles').notNullable(); // JSON array of role codes
    t.boolean('active').notNullable().defaultTo(true);
    t.integer('failed_sign_ins').notNullable().defaultTo(0);
    t.string('locked_until', 30).nullable();
    t.string('created_at', 30).notNullable();
    t.string('last_sign_in_at', 30).nullable();
  });

  await knex.schema.createTable('sessions', (t) => {
    t.string('token_hash', 64).primary();
    t.integer('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.string('created_at', 30).notNullable();
    t.string('last_seen_at', 30).notNullable();
    t.string('expires_at', 30).notNullable();
    t.string('client', 100).notNullable();
    t.index(['user_id']);
  });

  await knex.schema.createTable('settings', (t) => {
    t.string('key', 100).primary();
    t.text('value').notNullable();
  });

  await knex.schema.createTable('organisation', (t) => {
    t.integer('id').primary(); // always 1
    t.string('name', 100).notNullable();
    t.string('category', 1).notNullable();
    t.string('org_code', 10).notNullable();
    t.string('province_code', 2).notNullable();
    t.string('site_serial', 4).notNullable();
    t.string('site_name', 100).notNullable();
    t.string('address', 200).notNullable();
  });

  await knex.schema.createTable('occupations', (t) => {
    t.increments('id').primary();
    t.string('code', 20).notNullable();
    t.string('edition', 4).notNullable();
    t.string('name', 60).notNullable();
    t.text('trades').notNullable(); // JSON array
    t.text('levels_offered').notNullable(); // JSON array of level digits
    t.string('standard_ref', 200).notNullable();
    t.boolean('verified').notNullable();
    t.string('note', 500).notNullable();
    t.unique(['name', 'edition']);
  });

  await knex.schema.createTable('sittings', (t) => {
    t.increments('id').primary();
    t.string('name', 100).notNullable();
    t.integer('occupation_id').notNullable().references('id').inTable('occupations');
    t.string('trade', 60).notNullable();
    t.text('levels').notNullable(); // JSON array
    t.text('components').notNullable(); // JSON object level → components
    t.string('start_date', 10).notNullable();
    t.string('end_date', 10).notNullable();
    t.string('status', 10).notNullable();
    t.string('created_at', 30).notNullable();
  });

  await knex.schema.createTable('roster_imports', (t) => {
    t.increments('id').primary();
    t.integer('sitting_id').notNullable().references('id').inTable('sittings');
    t.string('file_name', 200).notNullable();
    t.string('file_sha256', 64).notNullable();
    t.string('status', 10).notNullable();
    t.integer('total').notNullable();
    t.integer('ok').notNullable();
    t.integer('warning').notNullable();
    t.integer('rejected').notNullable();
    t.text('preview').notNullable(); // JSON: header + rows as validated
    t.integer('created_by').notNullable().references('id').inTable('users');
    t.string('created_at', 30).notNullable();
    t.string('committed_at', 30).nullable();
    t.index(['sitting_id']);
  });

  await knex.schema.createTable('candidates', (t) => {
    t.increments('id').primary();
    t.integer('sitting_id').notNullable().references('id').inTable('sittings');
    t.string('name', 100).notNullable();
    t.string('gender', 1).nullable();
    t.string('id_type', 20).notNullable();
    t.string('id_number', 40).notNullable();
    t.string('birth_date', 10).nullable();
    t.string('ethnicity', 20).nullable();
    t.string('education', 40).nullable();
    t.string('phone', 40).nullable();
    t.string('address', 200).nullable();
    t.string('employer', 200).nullable();
    t.string('source', 40).nullable();
    t.integer('applied_level').notNullable();
    t.string('trade', 100).nullable();
    t.string('eligibility_basis', 200).nullable();
    t.string('prior_cert_no', 40).nullable();
    t.decimal('years_in_occupation', 4, 1).nullable();
    t.string('admission_ticket_no', 40).nullable();
    t.string('review_status', 10).notNullable();
    t.string('review_reason', 200).nullable();
    t.integer('reviewed_by').nullable().references('id').inTable('users');
    t.string('reviewed_at', 30).nullable();
    t.integer('import_id').nullable().references('id').inTable('roster_imports');
    t.string('created_at', 30).notNullable();
    t.unique(['sitting_id', 'id_number']);
    t.index(['sitting_id', 'name']);
  });

  await knex.schema.createTable('audit_log', (t) => {
    t.integer('seq').primary(); // assigned by the chain, 1, 2, 3 … (no autoincrement: a gap must be visible)
    t.string('at', 30).notNullable();
    t.integer('actor_id').nullable();
    t.string('actor_name', 60).notNullable();
    t.string('action', 60).notNullable();
    t.string('entity', 40).notNullable();
    t.string('entity_id', 40).nullable();
    t.text('before').nullable(); // JSON
    t.text('after').nullable(); // JSON
    t.string('prev_hash', 64).notNullable();
    t.string('hash', 64).notNullable();
    t.index(['action']);
  });

  /** The chain's head, written in the same transaction as each entry: detects removal of the newest entries. */
  await knex.schema.createTable('audit_head', (t) => {
    t.integer('id').primary(); // always 1
    t.integer('seq').notNullable();
    t.string('hash', 64).notNullable();
  });
  await knex('audit_head').insert({ id: 1, seq: 0, hash: '0'.repeat(64) });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'audit_head',
    'audit_log',
    'candidates',
    'roster_imports',
    'sittings',
    'occupations',
    'organisation',
    'settings',
    'sessions',
    'users',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}

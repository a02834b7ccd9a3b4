import type { Knex } from 'knex';

/**
 * Photos (personal data, PIPL: kept in the database, never in a shared folder, shown only to staff who
 * need them): the roster photo of a candidate, the live webcam photo taken at check-in or on re-entry,
 * and the photo a reader's vendor decoder returned from the card's chip.
 *
 * The new reference columns carry no foreign-key constraint: SQLite can add a column with a REFERENCES
 * clause only by rebuilding the table, and the photo rows are written by the same service that sets them.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('photos', (t) => {
    t.increments('id').primary();
    t.integer('candidate_id').nullable().references('id').inTable('candidates');
    t.string('kind', 10).notNullable(); // roster | live | card
    t.string('mime', 20).notNullable(); // image/jpeg | image/png | image/bmp
    t.binary('bytes').notNullable();
    t.string('sha256', 64).notNullable();
    t.integer('created_by').nullable().references('id').inTable('users');
    t.string('created_at', 30).notNullable();
    t.index(['candidate_id']);
  });
  await knex.schema.alterTable('candidates', (t) => {
    t.integer('photo_id').nullable(); // the roster photo (photos.id)
  });
  await knex.schema.alterTable('checkins', (t) => {
    t.integer('photo_id').nullable(); // live webcam photo
    t.integer('card_photo_id').nullable(); // decoded chip photo, when the reader's decoder gave one
  });
  await knex.schema.alterTable('checkin_verifications', (t) => {
    t.integer('photo_id').nullable();
    t.string('note', 300).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('checkin_verifications', (t) => {
    t.dropColumn('note');
    t.dropColumn('photo_id');
  });
  await knex.schema.alterTable('checkins', (t) => {
    t.dropColumn('card_photo_id');
    t.dropColumn('photo_id');
  });
  await knex.schema.alterTable('candidates', (t) => {
    t.dropColumn('photo_id');
  });
  await knex.schema.dropTableIfExists('photos');
}

import type { Knex } from 'knex';

/**
 * Check-in desk: exam sessions (场次) of a sitting, rooms with capacity, seat assignments, staff per room
 * (with logged overrides of the ratio rules), and check-ins with their method, operator and reader.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('exam_sessions', (t) => {
    t.increments('id').primary();
    t.integer('sitting_id').notNullable().references('id').inTable('sittings');
    t.string('name', 100).notNullable();
    t.string('component', 20).notNullable(); // theory | practical | comprehensive
    t.string('starts_at', 30).notNullable(); // ISO 8601 UTC
    t.string('ends_at', 30).notNullable();
    t.integer('opens_minutes_before').notNullable();
    t.integer('late_cutoff_minutes').notNullable();
    t.string('created_at', 30).notNullable();
    t.index(['sitting_id']);
  });

  await knex.schema.createTable('rooms', (t) => {
    t.increments('id').primary();
    t.string('name', 60).notNullable().unique();
    t.string('location', 200).notNullable();
    t.integer('capacity').notNullable();
    t.integer('columns').notNullable(); // seats per row, for neighbour rules
    t.boolean('active').notNullable().defaultTo(true);
  });

  await knex.schema.createTable('seat_assignments', (t) => {
    t.increments('id').primary();
    t.integer('session_id').notNullable().references('id').inTable('exam_sessions');
    t.integer('room_id').notNullable().references('id').inTable('rooms');
    t.integer('seat_no').notNullable();
    t.integer('candidate_id').notNullable().references('id').inTable('candidates');
    t.unique(['session_id', 'candidate_id']);
    t.unique(['session_id', 'room_id', 'seat_no']);
  });

  await knex.schema.createTable('room_staff', (t) => {
    t.increments('id').primary();
    t.integer('session_id').notNullable().references('id').inTable('exam_sessions');
    t.integer('room_id').notNullable().references('id').inTable('rooms');
    t.integer('user_id').notNullable().references('id').inTable('users');
    t.string('duty', 20).notNullable(); // proctor | evaluator
    t.unique(['session_id', 'room_id', 'user_id']);
  });

  /** A ratio rule knowingly broken for one room of one session, with who allowed it and why. */
  await knex.schema.createTable('staffing_overrides', (t) => {
    t.increments('id').primary();
    t.integer('session_id').notNullable().references('id').inTable('exam_sessions');
    t.integer('room_id').notNullable().references('id').inTable('rooms');
    t.string('reason', 300).notNullable();
    t.integer('approved_by').notNullable().references('id').inTable('users');
    t.string('approved_at', 30).notNullable();
    t.unique(['session_id', 'room_id']);
  });

  await knex.schema.createTable('checkins', (t) => {
    t.increments('id').primary();
    t.integer('session_id').notNullable().references('id').inTable('exam_sessions');
    t.integer('candidate_id').notNullable().references('id').inTable('candidates');
    t.integer('room_id').notNullable().references('id').inTable('rooms');
    t.integer('seat_no').notNullable();
    t.string('checked_in_at', 30).notNullable();
    t.string('method', 10).notNullable(); // card | ticket | name
    t.string('manual_reason', 300).nullable();
    t.integer('operator_id').notNullable().references('id').inTable('users');
    t.string('reader_sam_id', 60).nullable();
    t.string('card_valid_until', 20).nullable();
    t.string('photo_file', 200).nullable();
    t.unique(['session_id', 'candidate_id']);
  });

  /** Re-verification on re-entry (back from the toilet, a second room visit): one row each time. */
  await knex.schema.createTable('checkin_verifications', (t) => {
    t.increments('id').primary();
    t.integer('checkin_id').notNullable().references('id').inTable('checkins');
    t.string('at', 30).notNullable();
    t.string('method', 10).notNullable();
    t.integer('operator_id').notNullable().references('id').inTable('users');
    t.string('photo_file', 200).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'checkin_verifications',
    'checkins',
    'staffing_overrides',
    'room_staff',
    'seat_assignments',
    'rooms',
    'exam_sessions',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}

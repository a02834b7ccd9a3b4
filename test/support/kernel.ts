/**
 * The kernel a data-layer test builds its services on: one per database connection (so services of one
 * test share the event bus and the clock), with an optional pinned clock.
 */
import type { Knex } from 'knex';
import { Kernel, type KernelOptions } from '../../main/base/kernel';
import { PersonalDataCipher } from '../../main/base/personal-data-cipher';

/** The site key of every test database (fixed, so a suite's second connection reads what the first wrote). */
export const TEST_SITE_KEY = Buffer.alloc(32, 7);
export const testCipher = new PersonalDataCipher(TEST_SITE_KEY);

const kernels = new WeakMap<Knex, Kernel>();

/** The test's kernel for this connection; options apply when it is first made. */
export function kernelOf(knex: Knex, options?: KernelOptions): Kernel {
  let k = kernels.get(knex);
  if (!k) {
    k = new Kernel(knex, { cipher: testCipher, ...options });
    kernels.set(knex, k);
  }
  return k;
}

/** Make `kernel` the one kernelOf(knex) returns (a site built with its own clock); refuses a second one. */
export function adoptKernel(knex: Knex, kernel: Kernel): Kernel {
  const existing = kernels.get(knex);
  if (existing && existing !== kernel) {
    throw new Error(
      'this connection already has a kernel (kernelOf was called before buildSite): build the site first',
    );
  }
  kernels.set(knex, kernel);
  return kernel;
}

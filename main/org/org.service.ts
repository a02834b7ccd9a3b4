import type { Knex } from 'knex';
import type { Org } from '../../shared/contract/org';
import { appendAudit, type Actor } from '../audit/chain';
import type { Kernel } from '../base/kernel';

interface OrgRow {
  name: string;
  category: string;
  org_code: string;
  province_code: string;
  site_serial: string;
  site_name: string;
  address: string;
}

function toOrg(r: OrgRow): Org {
  return {
    name: r.name,
    category: r.category === 'S' ? 'S' : 'Y',
    orgCode: r.org_code,
    provinceCode: r.province_code,
    siteSerial: r.site_serial,
    siteName: r.site_name,
    address: r.address,
  };
}

export class OrgService {
  private get knex(): Knex {
    return this.kernel.knex;
  }

  constructor(private readonly kernel: Kernel) {}

  async get(): Promise<Org | null> {
    const row = await this.knex('organisation').where({ id: 1 }).first<OrgRow | undefined>();
    return row ? toOrg(row) : null;
  }

  async update(actor: Actor, org: Org, trxIn?: Knex.Transaction): Promise<Org> {
    const run = async (trx: Knex.Transaction) => {
      const before = await trx('organisation').where({ id: 1 }).first<OrgRow | undefined>();
      const row = {
        id: 1,
        name: org.name,
        category: org.category,
        org_code: org.orgCode,
        province_code: org.provinceCode,
        site_serial: org.siteSerial,
        site_name: org.siteName,
        address: org.address,
      };
      if (before) await trx('organisation').where({ id: 1 }).update(row);
      else await trx('organisation').insert(row);
      await appendAudit(trx, {
        actor,
        action: 'org.update',
        entity: 'organisation',
        entityId: 1,
        before: before ? toOrg(before) : null,
        after: org,
      });
    };
    if (trxIn) await run(trxIn);
    else await this.kernel.transaction(run);
    return org;
  }
}

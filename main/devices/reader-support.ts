import type { z } from 'zod';
import type { simulatedCardSchema } from '../../shared/contract/devices';
import type { CardData } from './idcard/reader';
import { listSerialPorts } from './idcard/sam-serial-driver';

/** The simulator's card from the UI's few fields. */
export function simulatedCard(c: z.infer<typeof simulatedCardSchema>): CardData {
  return {
    cardType: c.cardType,
    name: c.name,
    englishName: null,
    gender: c.gender,
    ethnicity: c.cardType === 'resident' ? '汉' : null,
    birthDate: c.birthDate,
    address: null,
    idNumber: c.idNumber,
    issuingAuthority: null,
    validFrom: null,
    validUntil: c.validUntil,
    extra: {},
    photoWlt: null,
    photo: null,
  };
}

/** Serial ports for the device page; the list needs udev on Linux, so say why when it is empty. */
export async function listSerialPortsForUi(): Promise<{
  ports: { path: string; label: string }[];
  note: string | null;
}> {
  const listing = await listSerialPorts();
  const reason = listing.reason;
  // (serialport's PortInfo type does not resolve through its package exports for the linter.)
  const ports = listing.ports as unknown as Array<{ path: string; manufacturer?: string }>;
  return {
    ports: ports.map((p) => ({ path: p.path, label: [p.path, p.manufacturer].filter(Boolean).join(' — ') })),
    note: reason ?? (ports.length === 0 ? '未发现串口。USB 读卡器请确认驱动已安装，或改用厂商 SDK。' : null),
  };
}

/**
 * Seat assignment for one exam session (domain.md §7.4): random seats within the chosen rooms, filling
 * rooms in order, optionally keeping candidates from the same employer off neighbouring seats (left,
 * right, front, behind), seats numbered from 1 "自小到大、从左至右、由前向后".
 */
export interface SeatingCandidate {
  id: number;
  employer: string | null;
}
export interface SeatingRoom {
  id: number;
  name: string;
  capacity: number;
  /** Seats per row. */
  columns: number;
}
export interface SeatAssignment {
  candidateId: number;
  roomId: number;
  seatNo: number;
}

export class SeatingError extends Error {
  override name = 'SeatingError';
}

/** Fisher–Yates with an injectable random source (tests pass a seeded one). */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a;
}

/** A small seeded PRNG (mulberry32) so an assignment can be reproduced from its seed. */
export function seededRandom(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

function neighbours(seatNo: number, columns: number): number[] {
  const i = seatNo - 1;
  const col = i % columns;
  const list = [seatNo - columns, seatNo + columns];
  if (col > 0) list.push(seatNo - 1);
  if (col < columns - 1) list.push(seatNo + 1);
  return list.filter((n) => n >= 1);
}

export function assignSeats(
  candidates: readonly SeatingCandidate[],
  rooms: readonly SeatingRoom[],
  options: { separateEmployers: boolean; random: () => number },
): SeatAssignment[] {
  const capacity = rooms.reduce((n, r) => n + r.capacity, 0);
  if (candidates.length > capacity) {
    throw new SeatingError(`所选考场共 ${capacity} 个座位，不够安排 ${candidates.length} 名考生，请增加考场`);
  }
  const pool = shuffle(candidates, options.random);
  const result: SeatAssignment[] = [];
  for (const room of rooms) {
    const seated = new Map<number, SeatingCandidate>();
    for (let seatNo = 1; seatNo <= room.capacity && pool.length > 0; seatNo++) {
      let pick = 0;
      if (options.separateEmployers) {
        const near = neighbours(seatNo, room.columns)
          .map((n) => seated.get(n)?.employer)
          .filter((e): e is string => !!e);
        const found = pool.findIndex((c) => !c.employer || !near.includes(c.employer));
        pick = found >= 0 ? found : 0; // nobody fits: seat the next one anyway rather than leave a gap
      }
      const [c] = pool.splice(pick, 1);
      if (!c) break;
      seated.set(seatNo, c);
      result.push({ candidateId: c.id, roomId: room.id, seatNo });
    }
  }
  return result;
}

/** Pairs of neighbouring seats (in one room) that hold people from the same employer. */
export function sameEmployerNeighbours(
  assignments: readonly SeatAssignment[],
  rooms: readonly SeatingRoom[],
  employerOf: (candidateId: number) => string | null,
): number {
  let pairs = 0;
  for (const room of rooms) {
    const bySeat = new Map(
      assignments.filter((a) => a.roomId === room.id).map((a) => [a.seatNo, a.candidateId]),
    );
    for (const [seatNo, id] of bySeat) {
      const e = employerOf(id);
      if (!e) continue;
      for (const n of neighbours(seatNo, room.columns)) {
        const other = bySeat.get(n);
        if (n > seatNo && other !== undefined && employerOf(other) === e) pairs += 1;
      }
    }
  }
  return pairs;
}

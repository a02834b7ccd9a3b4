import { describe, expect, it } from 'vitest';
import { assignSeats, sameEmployerNeighbours, seededRandom, SeatingError } from './seating';

const rooms = [
  { id: 1, name: '第1考场', capacity: 30, columns: 5 },
  { id: 2, name: '第2考场', capacity: 30, columns: 5 },
];
const people = (n: number, employers: string[]) =>
  Array.from({ length: n }, (_, i) => ({ id: i + 1, employer: employers[i % employers.length] ?? null }));

describe('assignSeats', () => {
  it('gives every candidate one seat, numbered from 1, filling the first room first', () => {
    const a = assignSeats(people(40, ['甲公司']), rooms, {
      separateEmployers: false,
      random: seededRandom(1),
    });
    expect(a).toHaveLength(40);
    expect(new Set(a.map((s) => s.candidateId)).size).toBe(40);
    expect(a.filter((s) => s.roomId === 1).map((s) => s.seatNo)).toEqual(
      Array.from({ length: 30 }, (_, i) => i + 1),
    );
    expect(a.filter((s) => s.roomId === 2)).toHaveLength(10);
  });

  it('is random, and reproducible from its seed', () => {
    const p = people(30, ['甲']);
    const one = assignSeats(p, rooms, { separateEmployers: false, random: seededRandom(7) });
    const again = assignSeats(p, rooms, { separateEmployers: false, random: seededRandom(7) });
    const other = assignSeats(p, rooms, { separateEmployers: false, random: seededRandom(8) });
    expect(again).toEqual(one);
    expect(other.map((s) => s.candidateId)).not.toEqual(one.map((s) => s.candidateId));
  });

  it('keeps people from the same employer off neighbouring seats when asked', () => {
    const p = people(30, ['甲公司', '乙公司', '丙公司', '丁公司', '戊公司', '个人']);
    const employerOf = (id: number) => p.find((c) => c.id === id)?.employer ?? null;
    const mixed = assignSeats(p, rooms.slice(0, 1), { separateEmployers: true, random: seededRandom(3) });
    expect(sameEmployerNeighbours(mixed, rooms, employerOf)).toBe(0);
    const plain = assignSeats(p, rooms.slice(0, 1), { separateEmployers: false, random: seededRandom(3) });
    expect(sameEmployerNeighbours(plain, rooms, employerOf)).toBeGreaterThan(0);
  });

  it('refuses when the rooms are too small, saying how many seats are missing', () => {
    expect(() =>
      assignSeats(people(61, ['甲']), rooms, { separateEmployers: false, random: Math.random }),
    ).toThrow(new SeatingError('所选考场共 60 个座位，不够安排 61 名考生，请增加考场'));
  });
});

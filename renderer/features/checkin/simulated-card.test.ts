import { describe, expect, it } from 'vitest';
import { fromIdNumber } from './simulated-card';

describe('simulated card from an ID number', () => {
  it('reads the birth date from digits 7–14 and the gender from the 17th digit', () => {
    expect(fromIdNumber('110105197501010031')).toEqual({ gender: '男', birthDate: '1975-01-01' });
    expect(fromIdNumber('11010519880215002X')).toEqual({ gender: '女', birthDate: '1988-02-15' });
  });

  it('falls back for numbers that are not 18-digit resident numbers', () => {
    expect(fromIdNumber('A1234')).toEqual({ gender: '男', birthDate: '' });
  });
});

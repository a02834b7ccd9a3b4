/** Gender and date of birth as an 18-digit resident ID number encodes them (GB 11643). */
export function fromIdNumber(idNumber: string): { gender: '男' | '女'; birthDate: string } {
  const id = idNumber.trim().toUpperCase();
  const digit = Number(id.charAt(16));
  const gender = id.length >= 17 && Number.isInteger(digit) && digit % 2 === 0 ? '女' : '男';
  const birth = /^\d{8}$/.test(id.slice(6, 14)) ? id.slice(6, 14) : '';
  const birthDate = birth ? `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}` : '';
  return { gender, birthDate };
}

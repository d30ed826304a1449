import {
  assertGender,
  assertIdNumber,
  assertMobile,
  assertPoliticalStatus,
  GenderContradictsIdNumber,
  idNumberCheckCharacter,
  InvalidGenderCode,
  InvalidIdNumber,
  InvalidMobile,
  InvalidPoliticalStatus,
} from './identity';

/** Builds a valid number from a region, a birth date and a sequence, computing the check character. */
function idNumber(region: string, birth: string, sequence: string): string {
  const first17 = `${region}${birth}${sequence}`;
  return first17 + idNumberCheckCharacter(first17);
}

const TODAY = '2025-06-30';

describe('ID number (GB 11643)', () => {
  it('accepts the standard example 11010519491231002X and normalises a lower-case x', () => {
    expect(assertIdNumber('11010519491231002X', TODAY)).toBe('11010519491231002X');
    expect(assertIdNumber('11010519491231002x', TODAY)).toBe('11010519491231002X');
  });

  it('accepts February 29th of leap years, 2000 among them', () => {
    for (const birth of ['19800229', '20000229'])
      expect(assertIdNumber(idNumber('310118', birth, '001'), TODAY)).toBe(idNumber('310118', birth, '001'));
  });

  it('computes the check character with the GB 11643 weights', () => {
    expect(idNumberCheckCharacter('11010519491231002')).toBe('X');
    expect(idNumberCheckCharacter('31011819800101001')).toBe(idNumber('310118', '19800101', '001').slice(-1));
  });

  it.each([
    ['a wrong check character', '110105194912310021', '校验码应为 X'],
    ['17 characters', '11010519491231002', '18 位'],
    ['letters inside', '1101051949123100AX', '18 位'],
    ['an unknown region', idNumber('990105', '19491231', '002'), '地址码'],
    ['February 30th', idNumber('310118', '19800230', '001'), '不是有效日期'],
    ['February 29th of a year not leap', idNumber('310118', '19000229', '001'), '不是有效日期'],
    ['April 31st', idNumber('310118', '19800431', '001'), '不是有效日期'],
    ['a 13th month', idNumber('310118', '19801301', '001'), '不是有效日期'],
    ['a day 0', idNumber('310118', '19800100', '001'), '不是有效日期'],
    ['a birth date in the future', idNumber('310118', '20300101', '001'), '不合理'],
    ['a birth date before 1900', idNumber('310118', '18991231', '001'), '不合理'],
  ])('refuses %s', (_label, value, reason) => {
    expect(() => assertIdNumber(value, TODAY)).toThrow(InvalidIdNumber);
    expect(() => assertIdNumber(value, TODAY)).toThrow(reason);
  });

  it('never puts the full number in the error message', () => {
    try {
      assertIdNumber('110105194912310021', TODAY);
    } catch (error) {
      expect((error as Error).message).not.toContain('110105194912310021');
      expect((error as Error).message).toContain('110105********21');
    }
  });
});

describe('mobile, gender, political status', () => {
  it('accepts 11-digit mainland mobiles and refuses the rest', () => {
    expect(assertMobile('13812345678')).toBe('13812345678');
    expect(assertMobile(' 19912345678 ')).toBe('19912345678');
    for (const bad of ['12812345678', '1381234567', '138123456789', '+8613812345678', '138-1234-5678', '']) {
      expect(() => assertMobile(bad)).toThrow(InvalidMobile);
    }
  });

  it('accepts GB/T 2261.1 codes and checks them against the ID number', () => {
    const male = idNumber('310118', '19800101', '011'); // 17th digit 1: odd, male
    const female = idNumber('310118', '19800101', '012');
    expect(assertGender('1', male)).toBe('1');
    expect(assertGender('2', female)).toBe('2');
    expect(assertGender('9', male)).toBe('9');
    expect(() => assertGender('2', male)).toThrow(GenderContradictsIdNumber);
    expect(() => assertGender('M')).toThrow(InvalidGenderCode);
    expect(() => assertGender('3')).toThrow(InvalidGenderCode);
  });

  it('accepts GB/T 4762 codes 01–13 only', () => {
    expect(assertPoliticalStatus('01')).toBe('01');
    expect(assertPoliticalStatus('13')).toBe('13');
    for (const bad of ['1', '00', '14', '党员'])
      expect(() => assertPoliticalStatus(bad)).toThrow(InvalidPoliticalStatus);
  });
});

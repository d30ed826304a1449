/**
 * Identity checks for real-name registration (实名制): the 18-character 居民身份证号码 of
 * GB 11643-1999, mainland mobile numbers, GB/T 2261.1 gender codes and GB/T 4762 political-status
 * codes. Pure functions; `today` comes from the caller.
 */
import { DomainError } from '../shared/domain-error';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';
/** 省级行政区划代码 (GB/T 2260), first two digits. */
const PROVINCE_CODES = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
  '83',
]);

export class InvalidIdNumber extends DomainError {
  readonly code = 'INVALID_ID_NUMBER';
  readonly kind = 'unprocessable';
  constructor(idNumber: string, reason: string) {
    super(`身份证号 ${mask(idNumber)} 无效：${reason}`, { reason });
  }
}

export class InvalidMobile extends DomainError {
  readonly code = 'INVALID_MOBILE';
  readonly kind = 'unprocessable';
  constructor(mobile: string) {
    super(`手机号码 ${mobile} 无效：应为 1 开头的 11 位中国大陆手机号码`, { mobile });
  }
}

export class InvalidGenderCode extends DomainError {
  readonly code = 'INVALID_GENDER_CODE';
  readonly kind = 'unprocessable';
  constructor(gender: string) {
    super(`性别代码 ${gender} 无效：应为 GB/T 2261.1 代码 0（未知）、1（男）、2（女）或 9（未说明）`, { gender });
  }
}

export class GenderContradictsIdNumber extends DomainError {
  readonly code = 'GENDER_CONTRADICTS_ID_NUMBER';
  readonly kind = 'unprocessable';
  constructor(gender: string) {
    super(`性别代码 ${gender} 与身份证号第 17 位所示性别不符`, { gender });
  }
}

export class InvalidPoliticalStatus extends DomainError {
  readonly code = 'INVALID_POLITICAL_STATUS';
  readonly kind = 'unprocessable';
  constructor(code: string) {
    super(`政治面貌代码 ${code} 无效：应为 GB/T 4762 代码 01–13`, { politicalStatus: code });
  }
}

/** GB/T 2261.1-2003 人的性别代码. */
export const GENDER_CODES = { '0': '未知的性别', '1': '男性', '2': '女性', '9': '未说明的性别' } as const;
export type GenderCode = keyof typeof GENDER_CODES;

/** GB/T 4762-1984 政治面貌代码. */
export const POLITICAL_STATUS_CODES = {
  '01': '中国共产党党员',
  '02': '中国共产党预备党员',
  '03': '中国共产主义青年团团员',
  '04': '中国国民党革命委员会会员',
  '05': '中国民主同盟盟员',
  '06': '中国民主建国会会员',
  '07': '中国民主促进会会员',
  '08': '中国农工民主党党员',
  '09': '中国致公党党员',
  '10': '九三学社社员',
  '11': '台湾民主自治同盟盟员',
  '12': '无党派民主人士',
  '13': '群众',
} as const;
export type PoliticalStatusCode = keyof typeof POLITICAL_STATUS_CODES;

/** The GB 11643 check character for the first 17 digits. */
export function idNumberCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARACTERS[sum % 11];
}

/** A day of the Gregorian calendar (checked by arithmetic: a bulk import checks one per row). */
function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  return day <= days;
}

/** Checks an ID number and returns it normalised (upper-case X). `today` is YYYY-MM-DD. */
export function assertIdNumber(idNumber: string, today: string): string {
  const value = idNumber.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(value))
    throw new InvalidIdNumber(idNumber, '应为 17 位数字加 1 位校验码（数字或 X），共 18 位');
  if (!PROVINCE_CODES.has(value.slice(0, 2)))
    throw new InvalidIdNumber(idNumber, `地址码 ${value.slice(0, 6)} 不是有效的行政区划代码`);
  const birth = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  if (!isCalendarDate(Number(value.slice(6, 10)), Number(value.slice(10, 12)), Number(value.slice(12, 14)))) {
    throw new InvalidIdNumber(idNumber, `出生日期 ${birth} 不是有效日期`);
  }
  if (birth < '1900-01-01' || birth > today) throw new InvalidIdNumber(idNumber, `出生日期 ${birth} 不合理`);
  const expected = idNumberCheckCharacter(value);
  if (value[17] !== expected) throw new InvalidIdNumber(idNumber, `校验码应为 ${expected}，实为 ${value[17]}`);
  return value;
}

export function assertMobile(mobile: string): string {
  const value = mobile.trim();
  if (!/^1[3-9]\d{9}$/.test(value)) throw new InvalidMobile(mobile);
  return value;
}

export function assertGender(gender: string, idNumber?: string): GenderCode {
  if (!(gender in GENDER_CODES)) throw new InvalidGenderCode(gender);
  if (idNumber && (gender === '1' || gender === '2')) {
    const odd = Number(idNumber[16]) % 2 === 1;
    if ((gender === '1') !== odd) throw new GenderContradictsIdNumber(gender);
  }
  return gender as GenderCode;
}

export function assertPoliticalStatus(code: string): PoliticalStatusCode {
  if (!(code in POLITICAL_STATUS_CODES)) throw new InvalidPoliticalStatus(code);
  return code as PoliticalStatusCode;
}

/** Shows only the region and the last two characters, so messages and logs carry no full ID. */
export function mask(idNumber: string): string {
  return idNumber.length >= 8 ? `${idNumber.slice(0, 6)}********${idNumber.slice(-2)}` : '****';
}

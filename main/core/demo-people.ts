import { idCheckChar } from '../../shared/domain/id-number';
import type { Level } from '../../shared/domain/levels';

export const DEMO_NAMES = [
  '张伟',
  '王芳',
  '李娜',
  '刘洋',
  '陈静',
  '杨磊',
  '赵敏',
  '黄强',
  '周杰',
  '吴秀英',
  '徐明',
  '孙丽',
  '马超',
  '朱琳',
  '胡斌',
  '郭婷',
  '何勇',
  '高燕',
  '林峰',
  '罗欢',
];
const DEMO_EMPLOYERS = ['市第一建筑工程有限公司', '城建集团第三分公司', '安居建设有限公司', '个人'];

/** A checksum-valid resident ID number for demo data (北京市朝阳区 110105). */
export function demoIdNumber(birth: string, seq: number, male: boolean): string {
  const s = String(seq * 2 + (male ? 1 : 0))
    .padStart(3, '0')
    .slice(-3);
  const body = `110105${birth.replace(/-/g, '')}${s}`;
  return body + idCheckChar(body);
}

/** The demo sitting's 20 people (synthetic, checksum-valid ID numbers); the e2e tests lay their cards. */
export function demoPeople(startDate: string) {
  const levels: Level[] = [3, 4, 5];
  return DEMO_NAMES.map((name, i) => {
    const male = i % 2 === 0;
    const birthDate = `${1975 + (i % 25)}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`;
    return {
      name,
      gender: male ? ('男' as const) : ('女' as const),
      idNumber: demoIdNumber(birthDate, i + 1, male),
      birthDate,
      phone: `1380000${String(1000 + i)}`,
      employer: DEMO_EMPLOYERS[i % DEMO_EMPLOYERS.length] ?? null,
      level: levels[i % levels.length] ?? 5,
      years: 2 + (i % 10),
      admissionTicketNo: `${startDate.replace(/-/g, '')}${String(i + 1).padStart(4, '0')}`,
    };
  });
}

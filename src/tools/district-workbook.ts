/**
 * A seeded, deterministic district in the import template: root, the ten level-1 nodes of
 * 001b:4, bureaus and towns at level 2, internal bodies and villages at level 3, groups at
 * level 4, and `people` persons with valid, distinct ID numbers and mobiles.
 *
 *   node -r @swc-node/register src/tools/district-workbook.ts out.xlsx [people] [seed]
 */
import { writeFile } from 'node:fs/promises';
import { idNumberCheckCharacter } from '../domain/person/identity';
import { writeImportWorkbook } from '../infrastructure/import/spreadsheet-reader';
import { mulberry32 } from './synthetic/synthetic-jurisdiction';

// One seeded generator for every synthetic data set.
export { mulberry32 };

const LEVEL_ONE = ['区委', '区人大', '区政府', '区政协', '纪委监委', '群团', '两院', '人武部', '镇街道', '区属企业'];
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万钱覃武戴孔汤庞樊兰殷施陶洪翟安颜倪严牛温芦季俞章鲁葛伍申尤毕聂柴焦向柳邢岳齐沿梅莫庄辛管祝左涂谷祁时舒耿牟卜路詹关苗凌费纪靳盛童欧甄项曲成游阳裴席卫查屈鲍位覃霍翁隋植甘景薄单包司柏宁柯阮桂闵欧阳解强丛华车冉房边辜吉饶刁瞿戚丘古米池滕晋苑邬臧畅宫来嵺苟全褚廉简娄盖符奚木穆党燕郎邸冀谈姬屠连郜晏栾郁商蒙计喻揭窦迟宇敖糜鄢冷卓花艾蓝都巩稽井练仲乐虞卞封竺冼原官衣楚佟栗匡宗应台巫鞠僧桑荆谌银扬明沙薄伏岑习胥保和蔺';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉梅建国建华志强海燕雪梅丹琳晓东晓明';

export async function generateDistrict(
  people: number,
  seed = 20251121,
): Promise<{ workbook: Buffer; nodes: number; people: number }> {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const org: Array<Record<string, string>> = [{ 节点编号: 'root', 名称: '青浦区', 类型: '根节点' }];
  const units: string[] = [];
  LEVEL_ONE.forEach((name, i) => org.push({ 节点编号: `l1-${i}`, 名称: name, 类型: '分类节点', 上级节点编号: 'root' }));
  for (let u = 0; u < 60; u++) {
    const town = u >= 48;
    const id = `u${u}`;
    org.push({
      节点编号: id,
      名称: town ? `第${u - 47}镇` : `区第${u + 1}局`,
      类型: '单位',
      上级节点编号: town ? 'l1-8' : `l1-${u % 8}`,
    });
    units.push(id);
    for (let b = 0; b < 10; b++) {
      const child = `${id}-${b}`;
      org.push({
        节点编号: child,
        名称: town ? `第${b + 1}村` : `第${b + 1}处`,
        类型: town ? '居村' : '内设机构',
        上级节点编号: id,
      });
      units.push(child);
      if (!town && b < 5) {
        for (let g = 0; g < 2; g++) {
          org.push({ 节点编号: `${child}-${g}`, 名称: `第${g + 1}组`, 类型: '内设机构', 上级节点编号: child });
          units.push(`${child}-${g}`);
        }
      }
    }
  }
  const persons: Array<Record<string, string>> = [];
  for (let n = 0; n < people; n++) {
    const year = 1960 + (n % 40);
    const first17 = `310118${year}${String(1 + (Math.floor(n / 40) % 12)).padStart(2, '0')}${String(1 + (Math.floor(n / 480) % 28)).padStart(2, '0')}${String(Math.floor(n / 13440) % 100).padStart(2, '0')}${n % 2 ? 1 : 2}`;
    persons.push({
      人员编号: `p${n}`,
      姓名: pick([...SURNAMES]) + pick([...GIVEN]) + (random() < 0.5 ? pick([...GIVEN]) : ''),
      身份证号码: first17 + idNumberCheckCharacter(first17),
      性别: n % 2 ? '男' : '女',
      手机号码: `13${String(100000000 + n).slice(-9)}`,
      编制: pick(['在编-行政', '在编-行政', '在编-事业', '非编聘用', '外部临时']),
      职级: pick(['一级科员', '四级主任科员', '二级主任科员', '']),
      政治面貌: pick(['群众', '中共党员', '共青团员', '无党派人士']),
      单位节点编号: pick(units),
      职务: pick(['科员', '副科长', '科长', '主任', '']),
      通讯录类别: pick(['Q1', 'Q2', 'Q3', 'Q3', 'Q4', 'Q4']),
      业务发生日期: '2025-03-03',
    });
  }
  return { workbook: await writeImportWorkbook({ org, people: persons }), nodes: org.length, people };
}

if (require.main === module) {
  const [out, count, seed] = process.argv.slice(2);
  void generateDistrict(Number(count ?? 30000), Number(seed ?? 20251121)).then(async ({ workbook, nodes, people }) => {
    await writeFile(out ?? 'district.xlsx', workbook);
    process.stdout.write(`wrote ${out ?? 'district.xlsx'}: ${nodes} nodes, ${people} people\n`);
  });
}

/**
 * Generated messages for the search scenario: Chinese, Japanese, Korean, Russian and
 * English in equal shares, words drawn with a skew (a few common, many rare) so terms of
 * very different frequency exist, some emoji, links and fixed phrases; and the queries
 * of each kind the scenario times. Deterministic (seeded), so runs compare.
 */

const VOCAB = {
  zh: '上海 北京 天气 今天 明天 会议 项目 预算 报告 问题 时间 朋友 公司 工作 电话 东西 学校 老师 学生 中国 市场 技术 数据 系统 用户 服务 产品 设计 测试 发布 文档 需求 团队 经理 周末 晚饭 电影 音乐 咖啡 地铁 的 了 在 是 我 你 他 我们 和 也 很 都 就 要 去 看 说 有'.split(
    ' ',
  ),
  ja: '東京 大阪 会議 明日 今日 天気 仕事 電話 予定 資料 確認 お願い します ました です ます 行き 来週 先週 ラーメン コーヒー テスト デザイン プロジェクト メール 返信 共有 対応 問題 時間 は が を に で と も の'.split(
    ' ',
  ),
  ko: '서울 부산 회의 내일 오늘 날씨 회사 전화 일정 자료 확인 부탁 프로젝트 디자인 테스트 메일 답장 공유 문제 시간 커피 점심 주말 영화 음악 친구 학교 선생님'.split(
    ' ',
  ),
  koParticles: '은 는 이 가 을 를 에 에서 도 로 요 와'.split(' '),
  ru: 'сообщение встреча проект бюджет отчёт завтра сегодня погода работа звонок документ вопрос время друг компания система пользователь сервер релиз тест дизайн команда неделя обед кофе город Москва письмо ответ задача и в на не что это я мы вы он она с по'.split(
    ' ',
  ),
  en: 'message meeting project budget report tomorrow today weather work call document question time friend company system user server release test design team week lunch coffee city London email reply task deploy review notes please thanks the a and to of in is it for on with at'.split(
    ' ',
  ),
};

const EMOJI = ['🎉', '👍', '😂', '🙏', '🔥', '❤️'];
const PHRASES = { en: 'see you tomorrow', ru: 'до завтра', zh: '明天见', ja: 'よろしくお願いします', ko: '감사합니다' };

export type Language = 'zh' | 'ja' | 'ko' | 'ru' | 'en';
const LANGUAGES: Language[] = ['zh', 'ja', 'ko', 'ru', 'en'];

/** A small fast PRNG (mulberry32): the same messages every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A word of the list, the first ones far more often (r² skew). */
const pick = <T>(list: readonly T[], random: () => number): T => list[Math.floor(random() * random() * list.length)] as T;

export function searchMessage(random: () => number): { language: Language; text: string } {
  const language = LANGUAGES[Math.floor(random() * LANGUAGES.length)] as Language;
  const count = 3 + Math.floor(random() * 12);
  const words: string[] = [];
  for (let i = 0; i < count; i++) {
    if (language === 'ko') words.push(`${pick(VOCAB.ko, random)}${random() < 0.6 ? pick(VOCAB.koParticles, random) : ''}`);
    else words.push(pick(VOCAB[language], random));
  }
  const spaced = language === 'ko' || language === 'ru' || language === 'en';
  let text = words.join(spaced ? ' ' : '');
  if (random() < 0.03) text += `${spaced ? ' ' : ''}${PHRASES[language]}`;
  if (random() < 0.05) text += ` ${EMOJI[Math.floor(random() * EMOJI.length)]}`;
  if (random() < 0.05) text += ` https://example.org/${Math.floor(random() * 1e6).toString(36)}`;
  return { language, text: language === 'en' || language === 'ru' ? text[0]?.toUpperCase() + text.slice(1) : text };
}

/** The query kinds the issue names, each a list of queries tried in turn. */
export const SEARCH_QUERIES = {
  'cjk-1': ['海', '京', '会', '天', '서', '時', '日', '的'],
  'cjk-2': ['上海', '会議', '서울', '天气', '项目', '資料', '회의', '咖啡'],
  'cjk-3': ['ラーメン', 'プロジェクト', '선생님', 'お願い', 'コーヒー', '上海的', '明天见', 'デザイン'],
  latin: ['meeting', 'budg', 'сообщ', 'проект', 'deploy', 'rev', 'London', 'москва'],
  phrase: ['"see you tomorrow"', '"до завтра"', '"please review"', '"budget report"'],
  filtered: ['meeting', '会議', 'проект', '서울'],
} as const;
export type QueryKind = keyof typeof SEARCH_QUERIES;

export const QUERY_KINDS_LABEL: Record<QueryKind, string> = {
  'cjk-1': 'one CJK character',
  'cjk-2': 'two CJK characters',
  'cjk-3': 'three or more CJK characters',
  latin: 'a Latin or Cyrillic word (prefix)',
  phrase: 'a quoted phrase',
  filtered: 'a word in one chat',
};

/** 한국어: 수동 자리 비움, 고정한 채팅 순서, 검색 결과의 사람. */
export const personal = {
  setAway: '자리 비움으로 설정',
  setActive: '온라인으로 설정',
  awayNow: '자리 비움',
  moveDown: '아래로 이동',
  searchPeople: '사람',
  centreMentionAll: '{{name}} 님이 모두를 언급했습니다',
  centreMentionHere: '{{name}} 님이 접속 중인 모두를 언급했습니다',
  mentionHere: '지금 접속 중인 모두',
};

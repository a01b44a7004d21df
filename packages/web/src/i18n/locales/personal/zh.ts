/** 中文：手动设为离开、置顶聊天的顺序、搜索结果中的人。 */
export const personal = {
  setAway: '将我设为离开',
  setActive: '将我设为在线',
  awayNow: '离开',
  moveDown: '下移',
  searchPeople: '联系人',
  centreMentionAll: '{{name}} 提到了所有人',
  centreMentionHere: '{{name}} 提到了所有在线的人',
  mentionHere: '当前在线的所有人',
};

/** 日本語：手動の離席、ピン留めしたチャットの並び順、検索結果の人。 */
export const personal = {
  setAway: '離席中にする',
  setActive: 'オンラインに戻る',
  awayNow: '離席中',
  moveDown: '下へ移動',
  searchPeople: 'ユーザー',
  centreMentionAll: '{{name}} さんが全員にメンションしました',
  centreMentionHere: '{{name}} さんがオンラインの全員にメンションしました',
  mentionHere: '今オンラインの全員',
};

/** 会話内でのサーバーモデレーションの日本語文言（views/chat-info/moderation）。 */
export const moderation = {
  archived: 'アーカイブ済み',
  archivedTitle: 'サーバー管理者によりアーカイブされました',
  archivedNotice: 'このチャットはサーバー管理者によってアーカイブされました。閲覧はできますが、誰も投稿できません。',
  removeMessage: 'モデレーターとして削除',
  removeMessageTitle: 'このメッセージを削除しますか？',
  removeMessageBody: 'このチャットの全員に対して削除されます。削除はサーバーの監査ログに記録されます。',
  removeMessageConfirm: '削除',
  removeMember: 'モデレーターとしてチャットから外す',
  removeMemberTitle: '{{name}} さんをこのチャットから外しますか？',
  removeMemberBody:
    'すぐにチャットから退出させます。この操作はサーバーの監査ログに記録されます。サーバー自体を使えなくするには、管理コンソールで利用停止にしてください。',
  removeMemberConfirm: '外す',
};

/** 会话内服务器管理的中文文案（views/chat-info/moderation）。 */
export const moderation = {
  archived: '已归档',
  archivedTitle: '已被服务器管理员归档',
  archivedNotice: '此聊天已被服务器管理员归档。你仍可以阅读，但任何人都无法在此发言。',
  removeMessage: '以版主身份删除',
  removeMessageTitle: '删除这条消息？',
  removeMessageBody: '这条消息将对聊天中的所有人删除。此操作会记录在服务器的审计日志中。',
  removeMessageConfirm: '删除',
  removeMember: '以版主身份移出聊天',
  removeMemberTitle: '将 {{name}} 移出此聊天？',
  removeMemberBody: '对方会立即离开此聊天。此操作会记录在服务器的审计日志中。如需禁止其使用服务器，请在管理控制台中将其停用。',
  removeMemberConfirm: '移出',
};

/** 대화 안에서의 서버 관리 한국어 문구(views/chat-info/moderation). */
export const moderation = {
  archived: '보관됨',
  archivedTitle: '서버 관리자가 보관함',
  archivedNotice: '서버 관리자가 이 채팅을 보관했습니다. 읽을 수는 있지만 아무도 글을 쓸 수 없습니다.',
  removeMessage: '모더레이터로서 삭제',
  removeMessageTitle: '이 메시지를 삭제할까요?',
  removeMessageBody: '이 채팅의 모든 사람에게서 삭제됩니다. 삭제 기록은 서버 감사 로그에 남습니다.',
  removeMessageConfirm: '삭제',
  removeMember: '모더레이터로서 채팅에서 내보내기',
  removeMemberTitle: '{{name}} 님을 이 채팅에서 내보낼까요?',
  removeMemberBody:
    '즉시 채팅에서 나가게 됩니다. 이 작업은 서버 감사 로그에 기록됩니다. 서버 이용 자체를 막으려면 관리 콘솔에서 이용을 정지하세요.',
  removeMemberConfirm: '내보내기',
};

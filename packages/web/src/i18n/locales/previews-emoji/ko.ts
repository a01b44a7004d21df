/** Link previews and custom emoji in Korean (see en.ts beside this file). */
export const previewsEmoji = {
  preview: {
    label: '링크 미리보기: {{title}}',
    remove: '미리보기 삭제',
    removeFailed: '미리보기를 삭제하지 못했습니다: {{reason}}',
    imageAlt: '{{site}}의 이미지',
  },
  emoji: {
    custom: '이 서버의 이모지',
    search: '이모지 검색',
    searchPlaceholder: '이름이나 키워드로 검색',
    results: '검색 결과',
    noResults: '일치하는 이모지가 없습니다',
  },
  admin: {
    linkPreviews: '링크 미리보기 표시',
    linkPreviewsHint: '새 메시지의 첫 번째 링크에 대해 서버가 제목, 설명, 이미지를 가져옵니다. 끄면 어떤 페이지도 가져오지 않습니다.',
    uploads: '커스텀 이모지를 추가할 수 있는 사람',
    uploadsAdmins: '관리자만',
    uploadsEveryone: '이 서버의 모든 사용자',
  },
  manager: {
    title: '커스텀 이모지',
    empty: '아직 커스텀 이모지가 없습니다.',
    name: '이름',
    nameHint: '영문 소문자, 숫자, _ 또는 - 2~30자. 메시지에서는 :이름: 으로 입력합니다',
    picture: '이미지',
    add: '이모지 추가',
    added: ':{{name}}: 추가됨',
    rename: '이름 변경',
    renameLabel: ':{{name}}:의 새 이름',
    save: '저장',
    cancel: '취소',
    delete: '삭제',
    deleteLabel: ':{{name}}: 삭제',
    failed: '저장하지 못했습니다: {{reason}}',
  },
};

/** Link previews and custom emoji in Japanese (see en.ts beside this file). */
export const previewsEmoji = {
  preview: {
    label: 'リンクのプレビュー：{{title}}',
    remove: 'プレビューを削除',
    removeFailed: 'プレビューを削除できませんでした：{{reason}}',
    imageAlt: '{{site}} の画像',
  },
  emoji: {
    custom: 'このサーバーの絵文字',
    search: '絵文字を検索',
    searchPlaceholder: '名前やキーワードで検索',
    results: '検索結果',
    noResults: '一致する絵文字はありません',
    suggestions: '入力候補の絵文字',
  },
  admin: {
    linkPreviews: 'リンクのプレビューを表示する',
    linkPreviewsHint:
      '新しいメッセージの最初のリンクについて、サーバーがタイトル・説明・画像を取得します。オフにするとページは取得されません。',
    uploads: 'カスタム絵文字を追加できる人',
    uploadsAdmins: '管理者のみ',
    uploadsEveryone: 'このサーバーの全員',
  },
  manager: {
    settingsHint: 'このサーバーでは誰でも絵文字を追加できます。名前の変更と削除は管理者が行います。',
    title: 'カスタム絵文字',
    empty: 'カスタム絵文字はまだありません。',
    name: '名前',
    nameHint: '小文字の英字・数字・_・- を 2〜30 文字。メッセージでは :名前: と入力します',
    picture: '画像',
    add: '絵文字を追加',
    added: ':{{name}}: を追加しました',
    rename: '名前を変更',
    renameLabel: ':{{name}}: の新しい名前',
    save: '保存',
    cancel: 'キャンセル',
    delete: '削除',
    deleteLabel: ':{{name}}: を削除',
    failed: '保存できませんでした：{{reason}}',
  },
};

/** Link previews and custom emoji in Simplified Chinese (see en.ts beside this file). */
export const previewsEmoji = {
  preview: {
    label: '链接预览：{{title}}',
    remove: '移除预览',
    removeFailed: '无法移除预览：{{reason}}',
    imageAlt: '来自 {{site}} 的图片',
  },
  emoji: {
    custom: '本服务器的表情',
    search: '搜索表情',
    searchPlaceholder: '按名称或关键词搜索',
    results: '搜索结果',
    noResults: '没有匹配的表情',
  },
  admin: {
    linkPreviews: '显示链接预览',
    linkPreviewsHint: '服务器会获取新消息中第一个链接的标题、描述和图片。关闭后不会获取任何网页。',
    uploads: '谁可以添加自定义表情',
    uploadsAdmins: '仅管理员',
    uploadsEveryone: '本服务器的所有人',
  },
  manager: {
    title: '自定义表情',
    empty: '还没有自定义表情。',
    name: '名称',
    nameHint: '2–30 个小写字母、数字、_ 或 -，在消息中写作 :名称:',
    picture: '图片',
    add: '添加表情',
    added: '已添加 :{{name}}:',
    rename: '重命名',
    renameLabel: ':{{name}}: 的新名称',
    save: '保存',
    cancel: '取消',
    delete: '删除',
    deleteLabel: '删除 :{{name}}:',
    failed: '无法保存：{{reason}}',
  },
};

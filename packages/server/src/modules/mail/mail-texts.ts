/**
 * What Parley's emails say, in every language of the app. `{name}` placeholders are
 * filled by templates.ts; every language has every key with the same placeholders
 * (mail-texts.test.ts checks).
 */
import type { MailLanguage } from '@parley/protocol';

export interface MailTexts {
  greeting: string;
  signature: string;
  verifySubject: string;
  verifyBody: string;
  verifyButton: string;
  verifyIgnore: string;
  changeSubject: string;
  changeBody: string;
  changeIgnore: string;
  resetSubject: string;
  resetBody: string;
  resetCode: string;
  resetButton: string;
  resetIgnore: string;
  linkFallback: string;
  digestSubject: string;
  digestIntro: string;
  digestChatLine: string;
  digestMention: string;
  digestOpen: string;
  digestFooter: string;
  digestUnsubscribe: string;
  digestSettings: string;
}

const en: MailTexts = {
  greeting: 'Hi {name},',
  signature: '— Parley',
  verifySubject: 'Confirm your email address for Parley',
  verifyBody: 'Please confirm that {email} is your address. The link works once, for {hours} hours.',
  verifyButton: 'Confirm email address',
  verifyIgnore: 'If you did not create a Parley account, you can ignore this email.',
  changeSubject: 'Confirm your new email address for Parley',
  changeBody:
    'You asked to change your Parley email address to {email}. Until you confirm it, your old address stays in use. The link works once, for {hours} hours.',
  changeIgnore: 'If you did not ask for this change, ignore this email and nothing will change.',
  resetSubject: 'Reset your Parley password',
  resetBody:
    'Someone (hopefully you) asked to reset the password of your Parley account. Open the link to choose a new one, or type the code on the reset page. Both work once, for {minutes} minutes. A reset signs you out on every device.',
  resetCode: 'Your code: {code}',
  resetButton: 'Choose a new password',
  resetIgnore: 'If you did not ask for this, ignore this email: your password stays as it is.',
  linkFallback: 'If the button does not work, copy this address into your browser:',
  digestSubject: 'You have unread messages on Parley',
  digestIntro: 'These messages arrived while you were away:',
  digestChatLine: '{chat}: {count} unread',
  digestMention: '{sender} mentioned you',
  digestOpen: 'Open the chat',
  digestFooter: 'You get this email when direct messages and mentions stay unread for {minutes} minutes.',
  digestUnsubscribe: 'Stop these emails',
  digestSettings: 'Notification settings',
};

const ru: MailTexts = {
  greeting: 'Здравствуйте, {name}!',
  signature: '— Parley',
  verifySubject: 'Подтвердите адрес электронной почты в Parley',
  verifyBody: 'Подтвердите, пожалуйста, что адрес {email} принадлежит вам. Ссылка сработает один раз и действует {hours} ч.',
  verifyButton: 'Подтвердить адрес',
  verifyIgnore: 'Если вы не создавали учётную запись в Parley, просто не обращайте внимания на это письмо.',
  changeSubject: 'Подтвердите новый адрес электронной почты в Parley',
  changeBody:
    'Вы попросили сменить адрес почты в Parley на {email}. Пока вы его не подтвердите, действует прежний адрес. Ссылка сработает один раз и действует {hours} ч.',
  changeIgnore: 'Если вы не просили об этом, не обращайте внимания на письмо — ничего не изменится.',
  resetSubject: 'Сброс пароля в Parley',
  resetBody:
    'Кто-то (надеемся, вы) попросил сбросить пароль вашей учётной записи в Parley. Откройте ссылку, чтобы задать новый пароль, или введите код на странице сброса. Ссылка и код сработают один раз в течение {minutes} мин. После сброса вы выйдете из Parley на всех устройствах.',
  resetCode: 'Ваш код: {code}',
  resetButton: 'Задать новый пароль',
  resetIgnore: 'Если вы не просили об этом, не обращайте внимания на письмо: пароль останется прежним.',
  linkFallback: 'Если кнопка не работает, скопируйте этот адрес в браузер:',
  digestSubject: 'У вас есть непрочитанные сообщения в Parley',
  digestIntro: 'Пока вас не было, пришли эти сообщения:',
  digestChatLine: '{chat}: непрочитанных — {count}',
  digestMention: '{sender} упомянул(а) вас',
  digestOpen: 'Открыть чат',
  digestFooter: 'Это письмо приходит, когда личные сообщения и упоминания остаются непрочитанными {minutes} мин.',
  digestUnsubscribe: 'Больше не присылать такие письма',
  digestSettings: 'Настройки уведомлений',
};

const zh: MailTexts = {
  greeting: '{name}，你好：',
  signature: '— Parley',
  verifySubject: '请确认你在 Parley 的电子邮件地址',
  verifyBody: '请确认 {email} 是你的邮箱地址。此链接只能使用一次，{hours} 小时内有效。',
  verifyButton: '确认邮箱地址',
  verifyIgnore: '如果你没有注册 Parley 账号，请忽略这封邮件。',
  changeSubject: '请确认你在 Parley 的新电子邮件地址',
  changeBody: '你申请将 Parley 的邮箱地址更改为 {email}。在你确认之前，原邮箱地址仍然有效。此链接只能使用一次，{hours} 小时内有效。',
  changeIgnore: '如果这不是你的操作，请忽略这封邮件，一切都不会改变。',
  resetSubject: '重置你的 Parley 密码',
  resetBody:
    '有人（希望是你）申请重置你的 Parley 账号密码。打开链接设置新密码，或在重置页面输入验证码。链接和验证码都只能使用一次，{minutes} 分钟内有效。重置后，你将在所有设备上退出登录。',
  resetCode: '你的验证码：{code}',
  resetButton: '设置新密码',
  resetIgnore: '如果这不是你的操作，请忽略这封邮件，你的密码不会改变。',
  linkFallback: '如果按钮无法使用，请将以下地址复制到浏览器中打开：',
  digestSubject: '你在 Parley 有未读消息',
  digestIntro: '你不在的时候收到了这些消息：',
  digestChatLine: '{chat}：{count} 条未读',
  digestMention: '{sender} 提到了你',
  digestOpen: '打开聊天',
  digestFooter: '当私信和提及你的消息 {minutes} 分钟内未读时，你会收到这封邮件。',
  digestUnsubscribe: '不再接收此类邮件',
  digestSettings: '通知设置',
};

const ja: MailTexts = {
  greeting: '{name} さん',
  signature: '— Parley',
  verifySubject: 'Parley のメールアドレスを確認してください',
  verifyBody: '{email} があなたのメールアドレスであることを確認してください。このリンクは 1 回だけ、{hours} 時間有効です。',
  verifyButton: 'メールアドレスを確認',
  verifyIgnore: 'Parley のアカウントを作成した覚えがない場合は、このメールを無視してください。',
  changeSubject: 'Parley の新しいメールアドレスを確認してください',
  changeBody:
    'Parley のメールアドレスを {email} に変更するよう依頼がありました。確認が済むまでは、これまでのアドレスが使われます。このリンクは 1 回だけ、{hours} 時間有効です。',
  changeIgnore: 'この変更を依頼していない場合は、このメールを無視してください。何も変わりません。',
  resetSubject: 'Parley のパスワードの再設定',
  resetBody:
    'Parley アカウントのパスワード再設定の依頼がありました。リンクを開いて新しいパスワードを設定するか、再設定ページでコードを入力してください。リンクとコードは 1 回だけ、{minutes} 分間有効です。再設定すると、すべてのデバイスでサインアウトされます。',
  resetCode: 'コード: {code}',
  resetButton: '新しいパスワードを設定',
  resetIgnore: '依頼した覚えがない場合は、このメールを無視してください。パスワードは変わりません。',
  linkFallback: 'ボタンが使えない場合は、次のアドレスをブラウザーにコピーしてください:',
  digestSubject: 'Parley に未読のメッセージがあります',
  digestIntro: '不在の間に次のメッセージが届きました:',
  digestChatLine: '{chat}: 未読 {count} 件',
  digestMention: '{sender} さんがあなたをメンションしました',
  digestOpen: 'チャットを開く',
  digestFooter: 'ダイレクトメッセージとメンションが {minutes} 分間未読のままのときに、このメールが届きます。',
  digestUnsubscribe: 'このメールの配信を停止',
  digestSettings: '通知の設定',
};

const ko: MailTexts = {
  greeting: '{name} 님, 안녕하세요.',
  signature: '— Parley',
  verifySubject: 'Parley 이메일 주소를 확인해 주세요',
  verifyBody: '{email} 주소가 본인의 주소인지 확인해 주세요. 이 링크는 한 번만 사용할 수 있으며 {hours}시간 동안 유효합니다.',
  verifyButton: '이메일 주소 확인',
  verifyIgnore: 'Parley 계정을 만든 적이 없다면 이 메일을 무시하셔도 됩니다.',
  changeSubject: 'Parley의 새 이메일 주소를 확인해 주세요',
  changeBody:
    'Parley 이메일 주소를 {email}(으)로 변경해 달라는 요청을 받았습니다. 확인하기 전까지는 기존 주소가 계속 사용됩니다. 이 링크는 한 번만 사용할 수 있으며 {hours}시간 동안 유효합니다.',
  changeIgnore: '변경을 요청하지 않았다면 이 메일을 무시하세요. 아무것도 바뀌지 않습니다.',
  resetSubject: 'Parley 비밀번호 재설정',
  resetBody:
    'Parley 계정의 비밀번호 재설정 요청을 받았습니다. 링크를 열어 새 비밀번호를 정하거나 재설정 페이지에 코드를 입력하세요. 링크와 코드는 한 번만 사용할 수 있으며 {minutes}분 동안 유효합니다. 재설정하면 모든 기기에서 로그아웃됩니다.',
  resetCode: '코드: {code}',
  resetButton: '새 비밀번호 정하기',
  resetIgnore: '요청하지 않았다면 이 메일을 무시하세요. 비밀번호는 그대로 유지됩니다.',
  linkFallback: '버튼이 작동하지 않으면 다음 주소를 브라우저에 복사하세요:',
  digestSubject: 'Parley에 읽지 않은 메시지가 있습니다',
  digestIntro: '자리를 비운 동안 다음 메시지가 도착했습니다:',
  digestChatLine: '{chat}: 읽지 않은 메시지 {count}개',
  digestMention: '{sender} 님이 회원님을 언급했습니다',
  digestOpen: '채팅 열기',
  digestFooter: '다이렉트 메시지와 멘션을 {minutes}분 동안 읽지 않으면 이 메일이 발송됩니다.',
  digestUnsubscribe: '이 메일 그만 받기',
  digestSettings: '알림 설정',
};

export const MAIL_TEXTS: Record<MailLanguage, MailTexts> = { en, ru, zh, ja, ko };

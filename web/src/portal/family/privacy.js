// privacy.js — the privacy notice (隐私政策) a parent reads and consents to at sign-up. Its version
// is the parameter privacy.notice_version (migration 016; GET /api/v1/privacy-notice): a changed
// text gets a new version here and a new parameter version, and the server then refuses consent to
// the old one. The account records the version consented to.
export const PRIVACY_VERSION = 1;

export const PRIVACY_SECTIONS = [
  ['谁处理您的信息', '本平台由瓯海区卫生健康局运营，用于普惠托育服务：查询托育机构、预约参观和托位、填报入托申请、接收录取通知。'],
  ['收集哪些信息', '您的手机号码（用于登录和接收短信通知）、家长姓名；您登记的孩子的姓名、性别、出生日期、出生医学证明或身份证号码、户籍所在镇街，以及入托申请中您申报的条件。不满十四周岁儿童的个人信息属于敏感个人信息，须经您作为监护人同意后处理。'],
  ['用于什么', '核验身份、办理预约和入托申请、按规则分配托位、向您发送预约和录取等通知。您预约或填报的托育机构可以看到您的姓名和手机号码，以便与您联系；机构的每次查看都记入审计日志。'],
  ['如何保护', '手机号码和孩子的证件号码加密存储，页面和日志中仅显示打码后的信息；短信验证码只保存不可逆的校验值。工作人员查看个人信息均有记录，可供审计。'],
  ['保存多久', '在您使用本平台期间保存；注销账号或服务结束后，依法律法规要求的期限保存后删除或匿名化。'],
  ['您的权利', '您可以查阅、更正您和孩子的信息，撤回同意或注销账号（撤回同意将无法继续办理预约和申请）。如有疑问，请联系区卫生健康局。'],
];

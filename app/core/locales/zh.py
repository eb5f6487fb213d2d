# ruff: noqa: E501 - a translation table reads best one entry per line
"""The Chinese catalog: English template → Chinese template, with the same named fields.

Keys are the English templates written in the code (`msg("No demand {number}", ...)`, a DomainError's
title or detail, a validator's ValueError), plus `pydantic:<type>` for Pydantic's own validation
errors. tests/i18n checks that every template in app/ has its entry here and that both sides name the
same fields. Quoted values are written “{value}”; terms follow the policy's wording (需求, 科技成果,
成果包, 技术转移机构, 统一社会信用代码).
"""

from __future__ import annotations

# Words given as fields of other messages (`term(...)`).
_TERMS = {
    "demand": "需求",
    "achievement": "科技成果",
    "package": "成果包",
}

# Titles of problem documents: one per problem type, and the HTTP status phrases the framework uses.
_TITLES = {
    "Bad request": "请求有误",
    "Not found": "未找到",
    "Authentication required": "需要登录",
    "Invalid credentials": "账号或密码不正确",
    "Refresh token was already used; its session has been revoked": "刷新令牌已被使用，该会话已注销",
    "Not permitted": "无权操作",
    "The current password is not correct": "当前密码不正确",
    "Conflict": "操作冲突",
    "The resource is not in a state that allows this": "当前状态不允许此操作",
    "The resource has changed since you read it": "数据在您读取后已被修改",
    "If-Match header required": "需要 If-Match 请求头",
    "Request body too large": "请求内容过大",
    "Too many requests": "请求过于频繁",
    "Validation failed": "校验未通过",
    "Service unavailable": "服务暂不可用",
    "The file cannot be read": "文件无法读取",
    "Unsupported file type": "不支持的文件类型",
    "File too large": "文件过大",
    "The file has errors; nothing was imported": "文件有错误，未导入任何数据",
    # HTTPStatus phrases (titles of errors the framework raises itself)
    "Bad Request": "请求有误",
    "Unauthorized": "需要登录",
    "Forbidden": "无权操作",
    "Not Found": "未找到",
    "Method Not Allowed": "不支持该请求方法",
    "Not Acceptable": "无法提供所要求的格式",
    "Precondition Failed": "数据在您读取后已被修改",
    "Content Too Large": "请求内容过大",
    "Request Entity Too Large": "请求内容过大",
    "Unsupported Media Type": "不支持的内容类型",
    "Unprocessable Content": "校验未通过",
    "Unprocessable Entity": "校验未通过",
    "Precondition Required": "需要 If-Match 请求头",
    "Too Many Requests": "请求过于频繁",
    "Internal Server Error": "服务器内部错误",
    "Service Unavailable": "服务暂不可用",
}

# Details the problem handlers give for errors that are not DomainErrors.
_HANDLERS = {
    "The request is not valid": "请求内容未通过校验，详见 errors",
    "The change conflicts with data already stored": "此修改与已保存的数据冲突",
    "The resource was changed by someone else; read it again": "数据已被他人修改，请重新读取",
    "An unexpected error occurred": "发生意外错误，请稍后再试",
    "The database is not reachable; try again shortly": "数据库暂时无法连接，请稍后重试",
}

_AUTH = {
    "Invalid or revoked API key": "API 密钥无效或已撤销",
    "This API key may only read": "此 API 密钥只能读取",
    "Sign in, or send an API key": "请先登录，或提供 API 密钥",
    "Your role does not allow this": "您的角色无权执行此操作",
    "Account disabled or removed": "账号已停用或已删除",
    "This session has been signed out": "此会话已退出登录",
    "This action needs a signed-in user, not an API key": "此操作需要登录用户执行，不能使用 API 密钥",
    "This refresh token was already used; sign in again": "此刷新令牌已被使用，请重新登录",
    "Incorrect e-mail or password": "邮箱或密码不正确",
    "Refresh token is invalid, expired or revoked": "刷新令牌无效、已过期或已撤销",
    "Account disabled": "账号已停用",
    "Too many failed sign-in attempts; try again later": "登录失败次数过多，请稍后再试",
    "sub is not a user id": "令牌的 sub 不是用户编号",
    "Invalid or expired access token": "访问令牌无效或已过期",
    "expires_at must be a future time": "expires_at 必须是将来的时间",
    "No API key {key_id}": "未找到 API 密钥 {key_id}",
    "The API key is already revoked": "该 API 密钥已撤销",
}

_COMMON = {
    "The request body exceeds {max_bytes} bytes": "请求内容超过 {max_bytes} 字节",
    "Send If-Match with the ETag you last read": "请在 If-Match 请求头中带上您最近读取到的 ETag",
    "If-Match does not match the current ETag {current}": "If-Match 与当前 ETag {current} 不一致，请重新读取",
    "cannot sort by '{name}'; allowed: {allowed}": "不能按“{name}”排序；可选：{allowed}",
    "Unknown query parameter: {names}; this operation takes: {allowed}": "未知的查询参数：{names}；本接口可用的参数：{allowed}",
    "{low} must not be greater than {high}": "{low} 不能大于 {high}",
    "not a valid unified social credit code (GB 32100-2015 check character)": (
        "不是有效的统一社会信用代码（校验码不符合 GB 32100-2015）"
    ),
    "not a mainland mobile number": "不是有效的大陆手机号码",
    "not a phone number: a mainland mobile (13812345678, +86 13812345678) or a landline with its area "
    "code (0518-85427978, extension -123)": (
        "不是有效的电话号码：请填写大陆手机号（13812345678、+86 13812345678）或带区号的固定电话"
        "（0518-85427978，分机写作 -123）"
    ),
    "not an e-mail address": "不是有效的电子邮箱地址",
    "expected an id, not a boolean": "应为编号，而不是布尔值",
    "expected a whole number": "应为整数",
    "expected a date as YYYY-MM-DD": "日期格式应为 YYYY-MM-DD",
    "expected an RFC 3339 date-time, e.g. 2027-01-01T00:00:00+08:00": (
        "应为 RFC 3339 格式的日期时间，例如 2027-01-01T00:00:00+08:00"
    ),
    "expected a date-time with a timezone offset, e.g. 2027-01-01T00:00:00+08:00": (
        "日期时间需带时区，例如 2027-01-01T00:00:00+08:00"
    ),
    "must not contain NUL (U+0000) characters": "不能包含 NUL（U+0000）字符",
    "the date-time is out of range": "日期时间超出范围",
    "must not be null; leave the field out to keep its value": "不能为 null；如需保持原值，请不要提交该字段",
    "{name} cannot be null": "{name} 不能为 null",
    "name cannot be null": "name 不能为 null",
    "display_name cannot be null": "display_name 不能为 null",
    "The record changed meanwhile; read it again": "记录已被修改，请重新读取",
    "The database is not reachable": "数据库暂时无法连接",
    "'{value}': {note}": "“{value}”：{note}",
    "{where}: {message}": "{where}：{message}",
}

_LISTINGS = {
    "An achievement with this client_key exists already": "已存在使用此 client_key 的科技成果",
    "A demand with this client_key exists already": "已存在使用此 client_key 的需求",
    "patents: an application number is listed twice": "专利：同一申请号填写了两次",
    "{value}: wrong check character; these digits call for .{expected}": (
        "{value}：校验位错误，按这些数字校验位应为 .{expected}"
    ),
    "a negotiable (面议) achievement has no asking_price_fen": "价格面议的科技成果不填写 asking_price_fen",
    "give the maturity: trl (1-9), stage, or both": "请填写成熟度：trl（1-9）、stage，或两者都填",
    "give asking_price_fen, or is_price_negotiable (面议)": "请填写 asking_price_fen，或选择价格面议（is_price_negotiable）",
    "budget_min_fen must not exceed budget_max_fen": "budget_min_fen 不能大于 budget_max_fen",
    "a negotiable (面议) budget has no range": "预算面议时不填写预算范围",
    "valid_until must not be in the past": "valid_until 不能早于今天",
    "give budget_max_fen (and optionally budget_min_fen), or is_budget_negotiable": (
        "请填写 budget_max_fen（可同时填写 budget_min_fen），或选择预算面议（is_budget_negotiable）"
    ),
    "You can only ask for an organization you belong to": "只能以您所属机构的名义申请",
    "This is your organization's own listing": "这是您所在机构自己发布的信息",
    "Only a published listing with NDA-protected detail takes access requests": (
        "只有已发布且详情受保密协议保护的信息才能申请查看"
    ),
    "Your organization has an open request for this listing": "您所在机构已有一条待处理的查看申请",
    "Only the owner or an admin of the owning organization decides": "只有发布机构的所有者或管理员可以处理",
    "No access request {request_id} for {kind} {id}": "未找到{kind} {id} 的查看申请 {request_id}",
    "cannot {action} a request that is {status}": "申请当前状态为“{status}”，不能执行 {action}",
    "The request changed meanwhile; read it again": "申请已被修改，请重新读取",
    "Only a transfer agency or an administrator of the listing's region reviews it": (
        "只有技术转移机构或所在区域的管理员可以审核"
    ),
    "a reason is required to {action}": "执行 {action} 需要填写理由",
    "Only the owning organization may do this": "只有发布机构可以执行此操作",
    "cannot {action} a listing that is {status}": "当前状态为“{status}”，不能执行 {action}",
    "The listing changed meanwhile; read it again": "信息已被修改，请重新读取",
    "No {kind} {listing_id}": "未找到{kind} {listing_id}",
    "No saved match {match_id}": "未找到推荐匹配 {match_id}",
    "cannot {action} a match that is {status}": "该匹配当前状态为“{status}”，不能执行 {action}",
    "The match changed meanwhile; read it again": "匹配已被修改，请重新读取",
    "scope={scope} needs a signed-in caller": "scope={scope} 需要登录后使用",
    "scope=mine needs a signed-in caller": "scope=mine 需要登录后使用",
    "Only the owning organization may edit it": "只有发布机构可以修改",
    "the revision changes nothing": "此次修订没有任何改动",
    "A revision of this listing awaits review already": "该信息已有一条修订在等待审核",
    "The listing changed since this revision was proposed; reject it and propose again": (
        "提出修订后信息已有变动，请驳回此修订后重新提出"
    ),
    "No revisions of {kind} {id}": "{kind} {id} 没有修订记录",
    "No revision {revision_id} of {kind} {id}": "未找到{kind} {id} 的修订 {revision_id}",
    "A {status} listing takes no revisions; edit a draft directly": "“{status}”状态的信息不接受修订；草稿请直接修改",
    "cannot {action} a revision that is {status}": "修订当前状态为“{status}”，不能执行 {action}",
    "The listing is {status} now; reject or withdraw the revision": "信息当前为“{status}”状态，请驳回或撤回此修订",
    "The revision no longer validates: {error}": "该修订已不再符合要求：{error}",
    "The revision changed meanwhile; read it again": "修订已被修改，请重新读取",
    "You can only post for an organization you belong to": "只能以您所属机构的名义发布",
    "A published listing cannot be edited directly; propose a revision instead": (
        "已发布的信息不能直接修改，请提交修订"
    ),
    "A {status} listing cannot be edited directly": "“{status}”状态的信息不能直接修改",
}

_ORGANIZATIONS = {
    "No organization {organization_id}": "未找到机构 {organization_id}",
    "No organization {id}": "未找到机构 {id}",
    "Only the organization's owner or admins may do this": "只有机构的所有者或管理员可以执行此操作",
    "Ownership cannot be given by invitation": "不能通过邀请授予所有者身份",
    "No account with this e-mail; ask them to sign up first": "没有使用此邮箱的账号，请对方先注册",
    "Only the organization's owner or admins may change roles": "只有机构的所有者或管理员可以调整角色",
    "Ownership cannot be changed here": "不能在此变更所有者",
    "Only the organization's owner or admins may remove members": "只有机构的所有者或管理员可以移除成员",
    "The owner cannot be removed": "不能移除所有者",
    "No membership {membership_id}": "未找到成员关系 {membership_id}",
    "Only the invited person may answer an invitation": "只有被邀请人可以回复邀请",
    "Only the organization's owner or admins may decide": "只有机构的所有者或管理员可以处理",
    "Cannot {action} a membership that is {status}": "成员关系当前为“{status}”，不能执行 {action}",
    "The membership changed meanwhile; read it again": "成员关系已被修改，请重新读取",
    "Membership is already {status}": "成员关系已是“{status}”",
    "An organization with this credit code is already registered": "使用此统一社会信用代码的机构已注册",
    "Only the organization's owner or admins may edit it": "只有机构的所有者或管理员可以修改",
    "Only a transfer agency or an administrator may verify organizations": "只有技术转移机构或管理员可以认证机构",
    "The organization's verification changed meanwhile": "机构的认证状态已被修改",
}

_PACKAGES = {
    "say which region the package is for": "请指明成果包所属区域",
    "Only city and district administrators curate achievement packages": "只有市、区管理员可以编制成果包",
    "You do not administer this region": "您不是该区域的管理员",
    "Only an administrator of the package's region curates it": "只有成果包所属区域的管理员可以编制",
    "No package {package_id}": "未找到成果包 {package_id}",
    "Package {id} has no version {number}": "成果包 {id} 没有第 {number} 版",
    "The order must list every member's achievement id exactly once": "排序必须列出每个成员科技成果的编号，且各出现一次",
    "Achievement {achievement_id} is not a member of this version": "科技成果 {achievement_id} 不在此版本中",
    "Achievement {achievement_id} is a member already": "科技成果 {achievement_id} 已在此版本中",
    "A version holds at most {limit} achievements": "每个版本最多包含 {limit} 项科技成果",
    "Achievement {achievement_id} is not a published achievement": "科技成果 {achievement_id} 未发布",
    "Achievement {achievement_id} is closed or past its deadline": "科技成果 {achievement_id} 已关闭或已过有效期",
    "an achievement is listed twice": "同一项科技成果出现了两次",
    "give the industrial direction: industry, theme, or both": "请填写产业方向：产业、主题，或两者都填",
    "The version was changed by someone else; read it again": "该版本已被他人修改，请重新读取",
    "A package is published with at least one achievement": "成果包至少包含一项科技成果才能发布",
    "Version {current} is still a draft: edit or publish it": "第 {current} 版仍是草稿，请修改或发布它",
    "Version {current} is missing": "第 {current} 版不存在",
    "These members are no longer published achievements; remove them first: {gone}": (
        "以下成员已不是已发布的科技成果，请先移除：{gone}"
    ),
    "Version {number} is published and cannot change; create the next version": (
        "第 {number} 版已发布，不能再修改，请创建新版本"
    ),
    "Version {number} was published meanwhile": "第 {number} 版已被发布",
    "The package changed meanwhile; read it again": "成果包已被修改，请重新读取",
}

_REGIONS_USERS = {
    "parent_id is required below province level": "省级以下区域需要填写 parent_id",
    "No region {region_id}": "未找到区域 {region_id}",
    "Region code {code} already exists": "区域代码 {code} 已存在",
    "An account with this e-mail already exists": "使用此邮箱的账号已存在",
    "The user already holds this role": "该用户已拥有此角色",
    "The last system administrator cannot be revoked": "不能撤销最后一位系统管理员",
    "a broker needs a licence number": "技术经纪人需要填写执业证书编号",
    "Your role does not allow granting or revoking this role": "您的角色无权授予或撤销此角色",
    "You cannot deactivate your own account": "不能停用您自己的账号",
    "Only a system administrator changes this account": "只有系统管理员可以修改此账号",
    "No user {user_id}": "未找到用户 {user_id}",
    "No role grant {grant_id} for user {id}": "未找到用户 {id} 的角色授权 {grant_id}",
    "{role} must be bound to a region": "{role} 角色必须绑定区域",
    "The role grant is already revoked": "该角色授权已撤销",
    "The account changed meanwhile; read it again": "账号已被修改，请重新读取",
}

_HOLIDAYS_JOBS = {
    "{package_label} has no schedule for {year}": "{package_label} 中没有 {year} 年的安排",
    "The calendar for {year} has not been loaded": "尚未载入 {year} 年的节假日安排",
    "The calendar for {year} exists; send If-Match to replace it": "{year} 年的节假日安排已存在；如需替换，请带上 If-Match",
    "{day} is not in {year}": "{day} 不在 {year} 年",
    "{day} is listed twice": "{day} 填写了两次",
    "{day} is a weekday; make-up working days fall on weekends": "{day} 是工作日；调休上班日应在周末",
    "No job {job_id}": "未找到任务 {job_id}",
}

_INDUSTRIES = {
    "No mapping for the technology field {field}": "技术领域“{field}”没有对应关系",
    "name each local industry once": "每个本地产业只能填写一次",
}

_IMPORTS = {
    "The uploader no longer belongs to the organization; nothing was imported": "上传人已不属于该机构，未导入任何数据",
    "The API key that uploaded this import is gone": "上传此文件所用的 API 密钥已不存在",
    "No import {job_id}": "未找到导入任务 {job_id}",
    "No user {who}; name one with --as-user": "未找到用户 {who}；请用 --as-user 指定",
    "Another import stored some of these rows meanwhile; nothing was imported": (
        "另一导入任务已保存了其中部分行，本次未导入任何数据"
    ),
    "The import stopped unexpectedly; it will be tried again": "导入意外中断，将自动重试",
    "{count} error(s) in the file; nothing was imported": "文件中有 {count} 处错误，未导入任何数据",
    "row {row}, {column}: {code}: {message}": "第 {row} 行，{column}：{code}：{message}",
    "the same client_key as row {row}": "与第 {row} 行的 client_key 相同",
    "the same row as row {row}": "与第 {row} 行内容相同",
    "not a column of the template": "不是模板中的列",
    "the same column as '{other}'": "与“{other}”是同一列",
    "the file has no {header} ({key}) column": "文件缺少“{header}”（{key}）列",
    "'{item}': write 201710601862.3（已授权）": "“{item}”：请写作 201710601862.3（已授权）",
    "'{item}': write 姓名/职称/分工, e.g. 李明/教授/项目负责人": "“{item}”：请写作 姓名/职称/分工，例如 李明/教授/项目负责人",
    "'{text}' is not a region code (e.g. 320706) or name (海州区)": "“{text}”不是区域代码（如 320706）或名称（如 海州区）",
    "expected text, not a true/false value": "应为文字，而不是是/否值",
    "expected an amount in yuan, e.g. 500000 or 1234.56": "应为以元为单位的金额，例如 500000 或 1234.56",
    "an amount cannot be negative": "金额不能为负数",
    "an amount in yuan has at most two decimals (fen)": "以元为单位的金额最多两位小数（到分）",
    "'{value}' is not a whole number": "“{value}”不是整数",
    "starts with '{lead}', which a spreadsheet would run as a formula; begin the text with another character": (
        "以“{lead}”开头，电子表格会把它当作公式执行；请换一个字符开头"
    ),
    "'{text}' is not an amount in yuan": "“{text}”不是以元为单位的金额",
    "'{value}' is not a date; write it as 2027-06-30": "“{value}”不是日期，请写作 2027-06-30",
    "'{text}' is not one of: {allowed}": "“{text}”不在可选值中：{allowed}",
    "'{text}' is not an amount in yuan, e.g. 500000 or 1234.56": "“{text}”不是以元为单位的金额，例如 500000 或 1234.56",
    "'{value}' is not a day of the calendar": "“{value}”不是有效的日期",
    "{name} is an older spreadsheet format; save it as .xlsx (Excel 2007 or later) or as CSV": (
        "{name} 是旧版表格格式，请另存为 .xlsx（Excel 2007 及以上）或 CSV"
    ),
    "Expected a .csv or .xlsx file, not {name}": "应上传 .csv 或 .xlsx 文件，而不是 {name}",
    "Expected a .csv or .xlsx file, not an unnamed file": "应上传 .csv 或 .xlsx 文件，而不是未命名的文件",
    "The file is empty: it needs a header row (see the template)": "文件为空：需要表头行（参见模板）",
    "The CSV file is neither UTF-8 nor GBK/GB18030 text; save it as 'CSV UTF-8'": (
        "CSV 文件既不是 UTF-8 也不是 GBK/GB18030 编码，请另存为“CSV UTF-8”"
    ),
    "This is not a CSV file: it holds control characters": "这不是 CSV 文件：其中含有控制字符",
    "This is not an XLSX workbook (not a zip archive)": "这不是 XLSX 工作簿（不是 zip 压缩包）",
    "This zip archive is not an XLSX workbook": "这个 zip 压缩包不是 XLSX 工作簿",
    "The XLSX workbook unpacks to an implausible size": "该 XLSX 工作簿解压后的大小不合常理",
    "The file has {size} bytes; at most {max_bytes} are accepted": "文件大小为 {size} 字节，最多接受 {max_bytes} 字节",
    "This is not a CSV file: it holds binary data": "这不是 CSV 文件：其中含有二进制数据",
    "The XLSX workbook has no worksheet": "该 XLSX 工作簿没有工作表",
    "This is not an XLSX workbook (a damaged zip archive)": "这不是 XLSX 工作簿（zip 压缩包已损坏）",
    "The XLSX workbook cannot be read: it is damaged": "无法读取该 XLSX 工作簿：文件已损坏",
    "The worksheet reaches row {last_row} and column {last_column}; at most {max_row} rows "
    "and {max_columns} columns are read: delete the stray cells far below or right of the data": (
        "工作表延伸到第 {last_row} 行、第 {last_column} 列；最多读取 {max_row} 行、{max_columns} 列："
        "请删除数据下方或右侧远处的零散单元格"
    ),
    "The file has more than {max_rows} rows; split it": "文件超过 {max_rows} 行，请拆分后导入",
    "The CSV file cannot be parsed near line {line_num}: {error}": "CSV 文件在第 {line_num} 行附近无法解析：{error}",
    "The XLSX workbook cannot be read: {error}": "无法读取该 XLSX 工作簿：{error}",
    "Record {number} of the CSV file has more than {cells} cells or {characters} characters; "
    "is it the import template?": (
        "CSV 文件第 {number} 条记录超过 {cells} 个单元格或 {characters} 个字符；请确认使用的是导入模板"
    ),
}

# Pydantic's validation errors, by type; the fields are those of the error's context.
_PYDANTIC = {
    "no_such_attribute": "对象没有属性“{attribute}”",
    "json_invalid": "JSON 格式无效：{error}",
    "json_type": "JSON 输入应为字符串或字节",
    "needs_python_object": "无法从 JSON 校验此项（{method_name}）",
    "recursion_loop": "检测到循环引用",
    "recursion_depth_exceeded": "嵌套层级过深",
    "missing": "必填项",
    "frozen_field": "该字段不可修改",
    "frozen_instance": "该对象不可修改",
    "extra_forbidden": "不允许的字段",
    "invalid_key": "键应为字符串",
    "get_attribute_error": "读取属性出错：{error}",
    "model_type": "应为对象（{class_name}）",
    "model_attributes_type": "应为对象",
    "dataclass_type": "应为对象（{class_name}）",
    "dataclass_exact_type": "应为 {class_name} 的实例",
    "named_tuple_type": "应为 {class_name}",
    "default_factory_not_called": "其他字段有误，无法计算默认值",
    "none_required": "应为 null",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应大于或等于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "应小于或等于 {le}",
    "multiple_of": "应为 {multiple_of} 的倍数",
    "finite_number": "应为有限数值",
    "too_short": "{field_type}至少需要 {min_length} 项，实际 {actual_length} 项",
    "too_long": "{field_type}最多 {max_length} 项",
    "iterable_type": "应为可迭代的值",
    "iteration_error": "遍历时出错：{error}",
    "string_type": "应为字符串",
    "string_unicode": "应为有效的 Unicode 字符串",
    "string_too_short": "至少需要 {min_length} 个字符",
    "string_too_long": "最多 {max_length} 个字符",
    "string_pattern_mismatch": "格式不符合要求（{pattern}）",
    "string_not_ascii": "只能包含 ASCII 字符",
    "enum": "应为以下之一：{expected}",
    "dict_type": "应为对象",
    "frozen_dict_type": "应为对象",
    "ordered_dict_type": "应为对象",
    "counter_type": "应为计数对象",
    "mapping_type": "应为对象：{error}",
    "list_type": "应为数组",
    "deque_type": "应为数组",
    "tuple_type": "应为数组",
    "set_type": "应为集合",
    "set_item_not_hashable": "集合中的元素应可哈希",
    "bool_type": "应为布尔值",
    "bool_parsing": "应为布尔值（true 或 false）",
    "int_type": "应为整数",
    "int_parsing": "应为整数，无法解析该字符串",
    "int_parsing_size": "整数过大，无法解析",
    "int_from_float": "应为整数，不能带小数部分",
    "float_type": "应为数字",
    "float_parsing": "应为数字，无法解析该字符串",
    "bytes_type": "应为字节串",
    "bytes_too_short": "至少需要 {min_length} 个字节",
    "bytes_too_long": "最多 {max_length} 个字节",
    "bytes_invalid_encoding": "字节串不是有效的 {encoding} 编码：{encoding_error}",
    "value_error": "取值无效：{error}",
    "assertion_error": "断言失败：{error}",
    "literal_error": "应为以下之一：{expected}",
    "missing_sentinel_error": "应为 MISSING 标记",
    "ellipsis_error": "应为省略号（...）",
    "date_type": "应为日期",
    "date_parsing": "应为 YYYY-MM-DD 格式的日期",
    "date_from_datetime_parsing": "应为 YYYY-MM-DD 格式的日期",
    "date_from_datetime_inexact": "日期不能带时间部分",
    "date_past": "日期应早于今天",
    "date_future": "日期应晚于今天",
    "time_type": "应为时间",
    "time_parsing": "应为 HH:MM[:SS] 格式的时间",
    "datetime_type": "应为日期时间",
    "datetime_parsing": "应为 RFC 3339 格式的日期时间，例如 2027-01-01T00:00:00+08:00",
    "datetime_object_invalid": "日期时间对象无效",
    "datetime_from_date_parsing": "应为日期时间，例如 2027-01-01T00:00:00+08:00",
    "datetime_past": "时间应早于现在",
    "datetime_future": "时间应晚于现在",
    "timezone_naive": "不应带时区",
    "timezone_aware": "应带时区，例如 +08:00",
    "timezone_offset": "时区偏移应为 {tz_expected} 秒，实际为 {tz_actual} 秒",
    "time_delta_type": "应为时长",
    "time_delta_parsing": "应为有效的时长",
    "frozen_set_type": "应为集合",
    "is_instance_of": "应为 {class} 的实例",
    "is_subclass_of": "应为 {class} 的子类",
    "callable_type": "应为可调用对象",
    "union_tag_invalid": "{discriminator} 的取值 {tag} 无效，应为 {expected_tags}",
    "union_tag_not_found": "无法从 {discriminator} 判断类型",
    "arguments_type": "参数应为数组或对象",
    "missing_argument": "缺少必需的参数",
    "unexpected_keyword_argument": "多余的关键字参数",
    "missing_keyword_only_argument": "缺少必需的关键字参数",
    "unexpected_positional_argument": "多余的位置参数",
    "missing_positional_only_argument": "缺少必需的位置参数",
    "multiple_argument_values": "同一参数给了多个值",
    "url_type": "应为网址字符串",
    "url_parsing": "网址无效",
    "url_syntax_violation": "网址语法有误",
    "url_too_long": "网址最多 {max_length} 个字符",
    "url_scheme": "网址协议应为 {expected_schemes}",
    "uuid_type": "应为 UUID",
    "uuid_parsing": "应为有效的 UUID",
    "uuid_version": "UUID 版本应为 {expected_version}",
    "decimal_type": "应为十进制数",
    "decimal_parsing": "应为有效的十进制数",
    "decimal_max_digits": "最多 {max_digits} 位数字",
    "decimal_max_places": "最多 {decimal_places} 位小数",
    "decimal_whole_digits": "整数部分最多 {whole_digits} 位",
    "fraction_type": "应为分数",
    "fraction_parsing": "应为有效的分数",
    "complex_type": "应为复数",
    "complex_str_parsing": "应为有效的复数字符串",
}

# Technology contracts and their registration (app/contracts, app/idempotency).
_CONTRACTS: dict[str, str] = {
    "A registrar's queue is a person's": "登记员的待办队列仅限本人查看",
    "A request with this Idempotency-Key is still in progress; retry shortly": "使用该幂等键的请求仍在处理中，请稍后重试",
    "A royalty is mentioned without its base and rate": "合同提及提成，但未写明提成基数和比例",
    "A transfer or licence of a registered right needs its certificate attached": "转让或许可专利等登记权利，需附权属证书",
    "No contract {contract_id}": "合同 {contract_id} 不存在",
    "Only a registrar of the seller's region decides its registration": "只有卖方所在地区的登记员可以办理该合同的认定登记",
    "Only members of the seller side's organization file its contracts": "只有卖方单位的成员可以申报其技术合同",
    "Only the seller side's organization may do this": "只有卖方单位可以执行此操作",
    "The contract changed meanwhile; read it again": "合同已被他人修改，请重新读取",
    "The payment schedule adds up to {scheduled} fen, not the contract's {total} fen": "付款计划合计 {scheduled} 分，与合同成交额 {total} 分不一致",
    "The price, remuneration or royalty and how it is paid are not stated": "未写明价款、报酬或使用费及其支付方式",
    "The signed contract text is not attached": "未附已签订的合同文本",
    "The title reads as a {named} contract, but the contract is filed as {filed}": "合同名称看似{named}合同，但申报类型为{filed}",
    "This Idempotency-Key was used with a different request": "该幂等键已用于另一个不同的请求",
    "a domestic party needs its unified social credit code": "境内当事人须填写统一社会信用代码",
    "a {status} contract cannot be edited (a registered one changes by a change registration)": "{status}的合同不能修改（已登记的合同须办理变更登记）",
    "cannot {action} a contract that is {status}": "{status}的合同不能执行“{action}”操作",
    "expected a whole number of fen (a JSON integer)": "金额应为以分计的整数（JSON 整数）",
    "no such organization": "该单位不存在",
    "not a GB/T 2260 area code": "不是有效的 GB/T 2260 行政区划代码",
    "only transfers and licences state the expected new investment and output": "只有技术转让和许可合同填写预计新增投入和新增产值",
    "required for a party outside the network": "网络外的当事人须填写此项",
    "say why: at least one finding with its ground": "请说明理由：至少填写一条意见及其依据",
    "the amount must be from 0 to 9007199254740991 fen": "金额应在 0 至 9007199254740991 分之间",
    "the buyer and the seller are the same party": "买方与卖方为同一当事人",
    "the contract's region has no area code to number its registration by": "合同所属地区没有行政区划代码，无法编排登记号",
    "the deductions exceed the contract amount (成交额)": "核减金额超过合同成交额",
    "the registration point has used every serial of {year}": "该登记点 {year} 年的登记序号已用完",
    "the signing date is in the future": "签订日期晚于今天",
    "the subtype is not one of the contract type's subtypes": "合同子类不属于所选合同类型",
    "the validity period ends before it starts": "有效期的截止日期早于起始日期",
    "“{phrase}” may be a clause that restricts technology; check it": "“{phrase}”可能属于限制技术竞争或技术发展的条款，请核实",
}

# Statistics and targets (app/statistics).
_STATISTICS: dict[str, str] = {
    "Statistics are for city and district administrators": "统计数据仅限市级和县区管理员查看",
    "Region {region_id} is not one you administer": "地区 {region_id} 不在您管理的范围内",
    "Give a year, or a range from and to, not both": "请指定年份，或指定起止日期（from 和 to），不能同时指定",
    "A range needs both from and to": "日期范围需同时指定起始日期（from）和截止日期（to）",
    "by takes one or two of: {allowed}": "by 须为以下维度中的一个或两个：{allowed}",
    "{year}-{month:02d}": "{year}年{month}月",
    "{year}-Q{quarter}": "{year}年第{quarter}季度",
    "{year}": "{year}年",
    "outside the network": "市外",
    "{name} (itself)": "{name}本级",
    "no local industry": "未对应本地产业",
    "Total": "合计",
    "Technology contracts": "技术合同统计",
    "Name the target's region": "请指定目标所属地区",
    "There is no such target to match": "该目标不存在，If-Match 无从匹配",
    "This target exists; send If-Match to replace it": "该目标已存在；如需修改，请在 If-Match 请求头中带上其 ETag",
    "The target changed meanwhile; read it again": "目标已被他人修改，请重新读取",
}

# The dashboard page (app/dashboard).
_DASHBOARD: dict[str, str] = {}

MESSAGES: dict[str, str] = {
    **_TERMS,
    **_TITLES,
    **_HANDLERS,
    **_AUTH,
    **_COMMON,
    **_LISTINGS,
    **_ORGANIZATIONS,
    **_PACKAGES,
    **_REGIONS_USERS,
    **_HOLIDAYS_JOBS,
    **_INDUSTRIES,
    **_IMPORTS,
    **_CONTRACTS,
    **_STATISTICS,
    **_DASHBOARD,
    **{f"pydantic:{kind}": text for kind, text in _PYDANTIC.items()},
}

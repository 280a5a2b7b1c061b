"""Accounts: identifiers, passwords, captcha, sessions, login, registration, password recovery, the profile and its
option lists, mobile and password changes, SMS codes and their delivery, attachments and their images."""

from db.models import AttachmentKind, StaffRole
from domain.accounts.attachment_history import purge_replaced_files as purge_replaced_attachment_files
from domain.accounts.attachment_links import signed_path as attachment_link
from domain.accounts.attachment_links import viewer_of_link as viewer_of_attachment_link
from domain.accounts.attachments import AttachmentUpload, StoredFile
from domain.accounts.attachments import current_for as current_attachments
from domain.accounts.attachments import current_for_people as current_attachments_for_people
from domain.accounts.attachments import open_for as open_attachment
from domain.accounts.attachments import upload as upload_attachment
from domain.accounts.captcha import Captcha
from domain.accounts.captcha import dev_answer as dev_captcha_answer
from domain.accounts.captcha import issue as issue_captcha
from domain.accounts.credentials import MobileChange, PasswordChange, change_mobile, change_password
from domain.accounts.dev_seed import seed_dev
from domain.accounts.identifiers import (
    ResidentId,
    mask_id_number,
    mask_mobile,
    normalize_email,
    normalize_mobile,
    normalize_name,
    parse_id_number,
)
from domain.accounts.image_limits import file_too_large as file_too_large_error
from domain.accounts.login import Credentials, login_person, login_staff, logout
from domain.accounts.lookup import (
    Reader,
    attachments_visible_to,
    find_person,
    find_staff,
    people_visible_to,
    visible_rows,
)
from domain.accounts.nationalities import nationality_label
from domain.accounts.passwords import hash_password, verify_password
from domain.accounts.profile import (
    PROFILE_LABELS,
    ProfileChanges,
    missing_profile_fields,
    profile_complete,
    update_profile,
)
from domain.accounts.profile_options import ETHNIC_GROUPS, Degree, Education, Option, ProfileOptions, profile_options
from domain.accounts.recovery import PasswordReset, ResetRequest, request_password_reset, reset_password
from domain.accounts.registration import (
    NewAccount,
    RegistrationCodeRequest,
    RegistrationForm,
    create_account,
    id_number_columns,
    id_number_digest,
    register,
)
from domain.accounts.registration import request_code as request_registration_code
from domain.accounts.sessions import csrf_token
from domain.accounts.sessions import resolve as resolve_session
from domain.accounts.sessions import resolve_id as resolve_session_id
from domain.accounts.sms_codes import SmsCodeRequest, SmsPurpose, request_sms_code, verify_code
from domain.accounts.sms_codes import check_code as check_sms_code
from domain.accounts.sms_codes import consume_code as consume_sms_code
from domain.accounts.sms_delivery import SMS_SIGNATURE, DevInboxGateway, SmsGateway, deliver_sms, notify_by_sms
from domain.accounts.staff_accounts import NewStaff, create_staff

__all__ = [
    "ETHNIC_GROUPS",
    "PROFILE_LABELS",
    "SMS_SIGNATURE",
    "AttachmentKind",
    "AttachmentUpload",
    "Captcha",
    "Credentials",
    "Degree",
    "DevInboxGateway",
    "Education",
    "MobileChange",
    "NewAccount",
    "NewStaff",
    "Option",
    "PasswordChange",
    "PasswordReset",
    "ProfileChanges",
    "ProfileOptions",
    "Reader",
    "RegistrationCodeRequest",
    "RegistrationForm",
    "ResetRequest",
    "ResidentId",
    "SmsCodeRequest",
    "SmsGateway",
    "SmsPurpose",
    "StaffRole",
    "StoredFile",
    "attachment_link",
    "attachments_visible_to",
    "change_mobile",
    "change_password",
    "check_sms_code",
    "consume_sms_code",
    "create_account",
    "create_staff",
    "csrf_token",
    "current_attachments",
    "current_attachments_for_people",
    "deliver_sms",
    "dev_captcha_answer",
    "file_too_large_error",
    "find_person",
    "find_staff",
    "hash_password",
    "id_number_columns",
    "id_number_digest",
    "issue_captcha",
    "login_person",
    "login_staff",
    "logout",
    "mask_id_number",
    "mask_mobile",
    "missing_profile_fields",
    "nationality_label",
    "normalize_email",
    "normalize_mobile",
    "normalize_name",
    "notify_by_sms",
    "open_attachment",
    "parse_id_number",
    "people_visible_to",
    "profile_complete",
    "profile_options",
    "purge_replaced_attachment_files",
    "register",
    "request_password_reset",
    "request_registration_code",
    "request_sms_code",
    "reset_password",
    "resolve_session",
    "resolve_session_id",
    "seed_dev",
    "update_profile",
    "upload_attachment",
    "verify_code",
    "verify_password",
    "viewer_of_attachment_link",
    "visible_rows",
]

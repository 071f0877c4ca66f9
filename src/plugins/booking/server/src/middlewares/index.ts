import adminLogin from './admin-login';
import bodyErrors from './body-errors';
import emailGuard from './email-guard';
import pathGuard from './path-guard';
import publicPost from './public-post';
import rememberStaff from './remember-staff';
import requestLog from './request-log';

export default { ...adminLogin, ...bodyErrors, ...emailGuard, ...pathGuard, ...publicPost, ...rememberStaff, ...requestLog };

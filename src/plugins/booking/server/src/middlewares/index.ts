import bodyErrors from './body-errors';
import draftActions from './draft-actions';
import emailGuard from './email-guard';
import publicPost from './public-post';
import rememberStaff from './remember-staff';
import requestLog from './request-log';

export default { ...bodyErrors, ...draftActions, ...emailGuard, ...publicPost, ...rememberStaff, ...requestLog };

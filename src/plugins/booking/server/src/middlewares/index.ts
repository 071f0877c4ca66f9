import adminLogin from './admin-login';
import bodyErrors from './body-errors';
import draftActions from './draft-actions';
import emailGuard from './email-guard';
import pathGuard from './path-guard';
import publicAnswers from './public-answers';
import publicPost from './public-post';
import rememberStaff from './remember-staff';
import requestLog from './request-log';

export default {
  ...adminLogin,
  ...bodyErrors,
  ...draftActions,
  ...emailGuard,
  ...pathGuard,
  ...publicAnswers,
  ...publicPost,
  ...rememberStaff,
  ...requestLog,
};

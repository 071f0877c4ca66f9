import bodyErrors from './body-errors';
import publicPost from './public-post';
import rememberStaff from './remember-staff';

export default { ...bodyErrors, ...publicPost, ...rememberStaff };

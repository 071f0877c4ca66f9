import bodyErrors from './body-errors';
import publicPost from './public-post';

export default { ...bodyErrors, ...publicPost };

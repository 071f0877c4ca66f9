import publicPost from './public-post';

export default { ...publicPost };

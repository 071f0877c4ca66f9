// The admin panel is bundled by Vite, which reads TypeScript directly.
export { default } from './admin/src';

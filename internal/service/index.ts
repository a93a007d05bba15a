export { runService } from './runService.js';

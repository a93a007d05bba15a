export { runService } from './runService.js';
export { callAsService, ServiceCallError, type ServiceCall } from './callAsService.js';

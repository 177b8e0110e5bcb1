import type zh from './drone-response.zh-CN.ts';

const en: typeof zh = {
  title: 'Drone response',
};
export default en;

import type zh from './drones.zh-CN.ts';

const en: typeof zh = {
  level: { 0: 'None', 1: 'Low', 2: 'Medium', 3: 'High', 4: 'Critical' },
};
export default en;

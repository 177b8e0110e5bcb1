import type zh from './duty.zh-CN.ts';

const en: typeof zh = {
  title: '',
};

export default en;

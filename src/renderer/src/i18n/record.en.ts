import type zh from './record.zh-CN.ts';

const en: typeof zh = {
  title: '',
};

export default en;

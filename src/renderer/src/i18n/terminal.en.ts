import type zh from './terminal.zh-CN.ts';

const en: typeof zh = {
  title: '',
};

export default en;

import type zh from './command.zh-CN.ts';

const en: typeof zh = {
  title: '',
};

export default en;

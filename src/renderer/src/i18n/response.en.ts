import type zh from './response.zh-CN.ts';

const en: typeof zh = {
  title: '',
};

export default en;

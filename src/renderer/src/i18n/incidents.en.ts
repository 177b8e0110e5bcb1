import type zh from './incidents.zh-CN.ts';

const en: typeof zh = {
  title: '',
};

export default en;

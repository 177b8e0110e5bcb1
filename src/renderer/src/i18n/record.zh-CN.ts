// The record words (zh-CN). Owned by the record feature.
const zh = {
  title: '',
};

export default zh;

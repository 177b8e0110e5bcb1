// The command words (zh-CN). Owned by the command feature.
const zh = {
  title: '',
};

export default zh;

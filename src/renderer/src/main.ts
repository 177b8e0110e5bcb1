import { createApp } from 'vue';
import { createPinia } from 'pinia';
import ElementPlus from 'element-plus';
import 'element-plus/dist/index.css';
import 'element-plus/theme-chalk/dark/css-vars.css';
import './styles/console.css';
import App from './App.vue';
import { i18n, savedLocale } from './i18n/index.ts';

document.documentElement.lang = savedLocale();
createApp(App).use(createPinia()).use(i18n).use(ElementPlus).mount('#app');

// main.js: the dashboard's entry: Vue, the router, vue-i18n, the Element Plus components the
// pages use (registered one by one so that the bundle holds only those).
import { createApp } from 'vue'
import {
  ElAlert, ElButton, ElCol, ElDialog,
  ElDrawer, ElEmpty, ElForm, ElFormItem, ElInput, ElMenu, ElMenuItem, ElOption,
  ElRadioButton, ElRadioGroup, ElRow, ElSelect, ElSwitch, ElTable, ElTableColumn,
  ElTag, ElLoading, ElMessage, ElConfigProvider,
} from 'element-plus'
import 'element-plus/dist/index.css'
import './style.css'
import App from './App.vue'
import { router } from './router.js'
import { i18n } from './i18n.js'

const app = createApp(App)
for (const c of [ElAlert, ElButton, ElCol, ElDialog, ElDrawer, ElEmpty, ElForm, ElFormItem, ElInput, ElMenu, ElMenuItem,
  ElOption, ElRadioButton, ElRadioGroup, ElRow, ElSelect, ElSwitch, ElTable,
  ElTableColumn, ElTag, ElConfigProvider])
  app.component(c.name, c)
app.use(ElLoading)
app.config.globalProperties.$message = ElMessage
app.use(i18n).use(router).mount('#app')

// echarts.js: the parts of ECharts the dashboard draws with (tree-shaken).
import * as echarts from 'echarts/core'
import { BarChart, LineChart, MapChart } from 'echarts/charts'
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, VisualMapComponent,
  MarkAreaComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

echarts.use([BarChart, LineChart, MapChart, GridComponent, LegendComponent, MarkLineComponent,
  TooltipComponent, VisualMapComponent, MarkAreaComponent, CanvasRenderer])

export const { init, registerMap } = echarts

// echarts.js — only the parts of ECharts the web app draws (bar, line and scatter, canvas), loaded
// lazily with import(): the console's dashboard and the growth charts of the console and the
// family portal.
import * as echarts from 'echarts/core';
import { BarChart, LineChart, ScatterChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, ScatterChart, AriaComponent, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);
export { echarts };

import { Card, Col, Row } from 'antd';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import type { Report } from './assessment-report';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

const rate = (r: number | null) => (r === null ? null : Math.round(r * 1000) / 10);

/** The ranking and the month-by-month trend, drawn as SVG (as the printed report draws them). */
export default function AssessmentCharts({ report }: { report: Report }) {
  const top = report.ranking.slice(0, 15);
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={12}>
        <Card size="small" title="综合得分（前 15）">
          <Chart
            label="各单位综合得分柱状图"
            option={{
              tooltip: {},
              grid: { left: 120, right: 16, top: 8, bottom: 24 },
              xAxis: { type: 'value', max: 100 },
              yAxis: { type: 'category', inverse: true, data: top.map((r) => r.name) },
              series: [{ type: 'bar', data: top.map((r) => Math.round(r.score * 10) / 10), name: '得分' }],
            }}
          />
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card size="small" title="逐月趋势（%）">
          <Chart
            label="激活率与月活跃率逐月折线图"
            option={{
              tooltip: { trigger: 'axis' },
              legend: { top: 0 },
              grid: { left: 40, right: 16, top: 32, bottom: 24 },
              xAxis: { type: 'category', data: report.trend.map((m) => m.month) },
              yAxis: { type: 'value', max: 100 },
              series: [
                { type: 'line', name: '激活率', data: report.trend.map((m) => rate(m.activationRate)) },
                { type: 'line', name: '月活跃率', data: report.trend.map((m) => rate(m.monthlyActiveRate)) },
              ],
            }}
          />
        </Card>
      </Col>
    </Row>
  );
}

function Chart({ option, label }: { option: echarts.EChartsCoreOption; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const chart = echarts.init(ref.current!, undefined, { renderer: 'svg' });
    chart.setOption(option);
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [option]);
  return <div ref={ref} role="img" aria-label={label} style={{ height: 280, width: '100%' }} />;
}

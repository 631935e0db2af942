import { describe, expect, it } from 'vitest';
import { assess, patch } from './helpers/patch.js';

describe('what an autoscaler scales on, replaced', () => {
  it('a HorizontalPodAutoscaler moved from CPU utilisation to requests per pod delays scaling', () => {
    const { risks } = assess(
      patch('k8s/tiles/hpa.yaml', 8, [
        '   maxReplicas: 40',
        '   metrics:',
        '-    - type: Resource',
        '-      resource:',
        '-        name: cpu',
        '-        target:',
        '-          type: Utilization',
        '-          averageUtilization: 60',
        '+    - type: Pods',
        '+      pods:',
        '+        metric:',
        '+          name: http_requests_per_second',
        '+        target:',
        '+          type: AverageValue',
        '+          averageValue: "1500"',
      ]),
    );
    expect(risks.map((s) => [s.kind, s.direction, s.old, s.new])).toEqual([['scaling_delayed', 'changed', 'cpu averageUtilization 60', 'http_requests_per_second averageValue 1500']]);
    expect(risks[0]?.code).toBe('k8s/tiles/hpa.yaml:16');
  });

  it('a KEDA trigger moved from queue length to consumer lag is the same edit', () => {
    const { risks } = assess(
      patch('deploy/worker/scaledobject.yaml', 12, [
        '   triggers:',
        '-    - type: rabbitmq',
        '-      metadata:',
        '-        queueLength: "50"',
        '+    - type: kafka',
        '+      metadata:',
        '+        lagThreshold: "5000"',
      ]),
    );
    expect(risks.map((s) => [s.kind, s.direction])).toEqual([['scaling_delayed', 'changed']]);
  });

  it('the same target set to another number is not read as a signal replaced', () => {
    const { risks } = assess(
      patch('k8s/tiles/hpa.yaml', 12, [
        '         target:',
        '           type: Utilization',
        '-          averageUtilization: 60',
        '+          averageUtilization: 70',
      ]),
    );
    expect(risks.filter((s) => s.direction === 'changed')).toEqual([]);
  });

  it('a target outside any autoscaler is not read', () => {
    const { risks } = assess(
      patch('config/quality.yaml', 3, ['-  target_ratio: 0.9', '+  score_threshold: 0.8']),
    );
    expect(risks.filter((s) => s.kind === 'scaling_delayed')).toEqual([]);
  });
});

# Shelters.
shelters-title = 避难场所 · { -product }
shelters-heading = 应急避难场所
shelters-lead = 这里将显示离您最近、正在开放且还有空位的应急避难场所，以及前往的路线。

# 登记册中的问题：避难场所的字段、志愿者的报告、导入文件。
shelters-error-required = 此项必填。
shelters-error-too-long = 太长：最多 200 个字符。
shelters-error-capacity = 容纳人数至少为 1 人。
shelters-error-area = 面积至少为 1 平方米。
shelters-error-position = 位置须为中国境内的 WGS-84 纬度和经度。
shelters-error-division = 不是景德镇市的行政区划代码（9 位或 12 位，须在本市区划表中）。
shelters-error-occupancy = 该人数超过容纳人数的十倍，请核对。
shelters-error-state = 请选择开放、已满或关闭。
shelters-import-unreadable = 无法按 CSV 或 GeoJSON 读取该文件。
shelters-import-empty = 文件为空：需要一行列名作为表头。
shelters-import-not-geojson = 不是 GeoJSON 的 FeatureCollection。
shelters-import-not-point = 每个要素都需要 Point 几何 [经度, 纬度]。
shelters-import-unknown-column = 未知的列：各列见 docs/SHELTERS.md。
shelters-import-missing-column = 缺少必需的列。
shelters-import-unknown-value = 不是允许的取值（见 docs/SHELTERS.md）。
shelters-import-not-whole-number = 不是整数。
shelters-import-not-a-number = 不是数字。
shelters-import-not-yes-no = 不是 true 或 false。
shelters-import-bad-id = 编号为 1 至 64 个字母、数字、“-”“_”或“.”。
shelters-import-duplicate-id = 文件中前面的行已使用此编号。

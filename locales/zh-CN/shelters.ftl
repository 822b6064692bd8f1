# Shelters.
shelters-title = 避难场所 · { -product }
shelters-heading = 应急避难场所
shelters-lead = 这里将显示离您最近、正在开放且还有空位的应急避难场所，以及前往的路线。

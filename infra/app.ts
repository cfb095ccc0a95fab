import { createStockAlertApp } from './stockalert-app.js';

createStockAlertApp().app.synth();
